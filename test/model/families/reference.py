#!/usr/bin/env python3
"""Float64 reference forward passes of the supported families, written from the Hugging Face module definitions (no HF
package: numpy only), over folders written by make-family-folder.mjs. Writes expected.json: per case the token ids, the
sha256 of each weight file, the last two tokens' logits (tied or untied LM head, Gemma's final soft-cap applied), and
every tap's log L2 norm per token, where the taps are what PyTorch forward hooks return:
h.{i}.attn = self_attn/attention output[0] (after o_proj/dense), h.{i}.mlp = the MLP's output, h.{i} = the layer output.

    python3 test/model/families/reference.py   (runs scripts/make-family-folder.mjs for every case of cases.json)
"""
import hashlib, json, math, os, struct, subprocess, sys, tempfile
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
T = 24  # longer than every case's sliding window (8)


def read_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == '__metadata__':
            continue
        a, b = v['data_offsets']
        raw = data[a:b]
        if v['dtype'] == 'F32':
            x = np.frombuffer(raw, '<f4').astype(np.float64)
        elif v['dtype'] == 'F16':
            x = np.frombuffer(raw, '<f2').astype(np.float64)
        elif v['dtype'] == 'BF16':
            x = (np.frombuffer(raw, '<u2').astype(np.uint32) << 16).view('<f4').astype(np.float64)
        else:
            raise ValueError(v['dtype'])
        out[k] = x.reshape(v['shape'])
    return out


def read_folder(d):
    files = ['model.safetensors'] if os.path.exists(os.path.join(d, 'model.safetensors')) else \
        sorted(set(json.load(open(os.path.join(d, 'model.safetensors.index.json')))['weight_map'].values()))
    w = {}
    for f in files:
        w.update(read_safetensors(os.path.join(d, f)))
    shas = {f: hashlib.sha256(open(os.path.join(d, f), 'rb').read()).hexdigest() for f in files}
    return w, shas


def strip(w, prefix):
    return {(k[len(prefix):] if k.startswith(prefix) else k): v for k, v in w.items()}


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def rms_norm(x, w, eps, one_plus=False):
    y = x / np.sqrt((x * x).mean(-1, keepdims=True) + eps)
    return y * (1.0 + w) if one_plus else y * w


def gelu(x):
    return 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def silu(x):
    return x / (1.0 + np.exp(-x))


def inv_freq(dim, base, scaling, max_pos, seq_len):
    """HF's rope initialisers: default, linear, dynamic (NTK, by the longest position), llama3."""
    inv = 1.0 / base ** (np.arange(0, dim, 2, dtype=np.float64) / dim)
    if not scaling:
        return inv
    kind = scaling.get('rope_type', scaling.get('type'))
    if kind == 'linear':
        return inv / scaling['factor']
    if kind == 'dynamic':
        orig = scaling.get('original_max_position_embeddings', max_pos)
        if seq_len > orig:
            base = base * ((scaling['factor'] * seq_len / orig) - (scaling['factor'] - 1)) ** (dim / (dim - 2))
            return 1.0 / base ** (np.arange(0, dim, 2, dtype=np.float64) / dim)
        return inv
    if kind == 'llama3':
        f, lo, hi, orig = scaling['factor'], scaling['low_freq_factor'], scaling['high_freq_factor'], scaling['original_max_position_embeddings']
        wavelen = 2 * math.pi / inv
        out = np.where(wavelen > orig / lo, inv / f, inv)
        smooth = (orig / wavelen - lo) / (hi - lo)
        smoothed = (1 - smooth) * out / f + smooth * out
        medium = ~(wavelen < orig / hi) & ~(wavelen > orig / lo)
        return np.where(medium, smoothed, out)
    raise ValueError(kind)


def rope(x, inv):
    """x [T, heads, hd]; rotate-half over the first 2·len(inv) dims of each head."""
    r = 2 * len(inv)
    ang = np.arange(x.shape[0], dtype=np.float64)[:, None] * inv[None, :]
    cos = np.concatenate([np.cos(ang), np.cos(ang)], -1)[:, None, :]
    sin = np.concatenate([np.sin(ang), np.sin(ang)], -1)[:, None, :]
    xr, xp = x[..., :r], x[..., r:]
    rot = np.concatenate([-xr[..., r // 2:], xr[..., :r // 2]], -1)
    return np.concatenate([xr * cos + rot * sin, xp], -1)


def attention(q, k, v, scale, window, softcap):
    """q [T, H, hd], k/v [T, KV, hd]; kv head j serves query heads j·g … j·g+g−1; causal, optional sliding window."""
    Tn, H, hd = q.shape
    g = H // k.shape[1]
    k = np.repeat(k, g, axis=1)
    v = np.repeat(v, g, axis=1)
    s = np.einsum('thd,shd->hts', q, k) * scale
    if softcap:
        s = np.tanh(s / softcap) * softcap
    i = np.arange(Tn)[:, None]
    j = np.arange(Tn)[None, :]
    allowed = (j <= i) & ((i - j < window) if window else True)
    s = np.where(allowed[None], s, -np.inf)
    s = s - s.max(-1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(-1, keepdims=True)
    return np.einsum('hts,shd->thd', p, v).reshape(Tn, H * hd)


def lin(x, w, name, bias=True):
    y = x @ w[name + '.weight'].T
    b = w.get(name + '.bias')
    return y + b if (bias and b is not None) else y


def neox(c, w, ids):
    w = strip(w, 'gpt_neox.')
    D, H = c['hidden_size'], c['num_attention_heads']
    hd = D // H
    rot = int(hd * c.get('rotary_pct', 0.25))
    inv = inv_freq(rot, c.get('rotary_emb_base', 10000), c.get('rope_scaling'), c['max_position_embeddings'], len(ids))
    eps = c.get('layer_norm_eps', 1e-5)
    x = w['embed_in.weight'][ids]
    taps = {}
    for i in range(c['num_hidden_layers']):
        p = f'layers.{i}.'
        ln = lambda y, n: layer_norm(y, w[p + n + '.weight'], w[p + n + '.bias'], eps)
        qkv = lin(ln(x, 'input_layernorm'), w, p + 'attention.query_key_value').reshape(len(ids), H, 3 * hd)
        q, k, v = qkv[..., :hd], qkv[..., hd:2 * hd], qkv[..., 2 * hd:]
        q, k = rope(q, inv), rope(k, inv)
        a = lin(attention(q, k, v, hd ** -0.5, None, None), w, p + 'attention.dense')
        mlp = lambda y: lin(gelu(lin(y, w, p + 'mlp.dense_h_to_4h')), w, p + 'mlp.dense_4h_to_h')
        if c.get('use_parallel_residual', True):
            m = mlp(ln(x, 'post_attention_layernorm'))
            x = x + a + m
        else:
            x = x + a
            m = mlp(ln(x, 'post_attention_layernorm'))
            x = x + m
        taps[f'h.{i}.attn'], taps[f'h.{i}.mlp'], taps[f'h.{i}'] = a, m, x
    head = w['embed_in.weight'] if c.get('tie_word_embeddings', False) else w['embed_out.weight']
    return taps, layer_norm(x, w['final_layer_norm.weight'], w['final_layer_norm.bias'], eps) @ head.T


def layer_windows(c, family):
    n = c['num_hidden_layers']
    if c.get('layer_types'):
        return [c['sliding_window'] if t == 'sliding_attention' else None for t in c['layer_types']]
    if family == 'mistral':
        return [c.get('sliding_window')] * n
    if family in ('qwen2', 'qwen3'):
        sw = c.get('sliding_window') if c.get('use_sliding_window') else None
        return [sw if (sw and i >= c.get('max_window_layers', 28)) else None for i in range(n)]
    if family == 'gemma2':
        return [c['sliding_window'] if i % 2 == 0 else None for i in range(n)]
    if family == 'gemma3_text':
        pat = c.get('sliding_window_pattern', 6)
        return [c['sliding_window'] if (i + 1) % pat else None for i in range(n)]
    return [None] * n


def llama_like(c, w, ids):
    fam = c['model_type']
    w = strip(w, 'model.')
    gem = fam.startswith('gemma')
    D, H = c['hidden_size'], c['num_attention_heads']
    KV = c.get('num_key_value_heads', H)
    hd = c.get('head_dim') or (256 if gem else 128 if fam == 'qwen3' else D // H)
    eps = c.get('rms_norm_eps', 1e-6)
    norm = lambda y, name: rms_norm(y, w[name + '.weight'], eps, gem)
    scale = c['query_pre_attn_scalar'] ** -0.5 if gem else hd ** -0.5
    softcap = c.get('attn_logit_softcapping', 50.0 if fam == 'gemma2' else None) if gem else None
    act = gelu_tanh if gem else silu
    windows = layer_windows(c, fam)
    theta = c.get('rope_theta', 10000.0)
    global_inv = inv_freq(hd, theta, c.get('rope_scaling'), c['max_position_embeddings'], len(ids))
    local_inv = inv_freq(hd, c.get('rope_local_base_freq', 10000.0), None, 0, 0) if fam == 'gemma3_text' else global_inv
    x = w['embed_tokens.weight'][ids]
    if gem:
        x = x * np.float64(np.float32(math.sqrt(D)))
    taps = {}
    Tn = len(ids)
    for i in range(c['num_hidden_layers']):
        p = f'layers.{i}.'
        h = norm(x, p + 'input_layernorm')
        q = lin(h, w, p + 'self_attn.q_proj').reshape(Tn, H, hd)
        k = lin(h, w, p + 'self_attn.k_proj').reshape(Tn, KV, hd)
        v = lin(h, w, p + 'self_attn.v_proj').reshape(Tn, KV, hd)
        if fam in ('qwen3', 'gemma3_text'):
            q, k = norm(q, p + 'self_attn.q_norm'), norm(k, p + 'self_attn.k_norm')
        inv = local_inv if windows[i] else global_inv
        q, k = rope(q, inv), rope(k, inv)
        a = lin(attention(q, k, v, scale, windows[i], softcap), w, p + 'self_attn.o_proj')
        x = x + (norm(a, p + 'post_attention_layernorm') if gem else a)
        h = norm(x, p + ('pre_feedforward_layernorm' if gem else 'post_attention_layernorm'))
        m = lin(act(lin(h, w, p + 'mlp.gate_proj')) * lin(h, w, p + 'mlp.up_proj'), w, p + 'mlp.down_proj')
        x = x + (norm(m, p + 'post_feedforward_layernorm') if gem else m)
        taps[f'h.{i}.attn'], taps[f'h.{i}.mlp'], taps[f'h.{i}'] = a, m, x
    # an untied head is the top-level lm_head.weight (no model. prefix), a tied one the embeddings
    head = w['embed_tokens.weight'] if c.get('tie_word_embeddings', gem) else w['lm_head.weight']
    logits = norm(x, 'norm') @ head.T
    cap = c.get('final_logit_softcapping', 30.0 if fam == 'gemma2' else None) if gem else None
    return taps, (np.tanh(logits / cap) * cap if cap else logits)


def ar2(y, start=3):
    """The notebook's AR(2): OLS of y[t] on [1, y[t-1], y[t-2]] for t = start … T-1."""
    y = np.asarray(y)
    X = np.stack([np.ones(len(y) - start), y[start - 1:-1], y[start - 2:-2]], 1)
    return np.linalg.lstsq(X, y[start:], rcond=None)[0].tolist()


def ids_for(vocab):
    return [(i * 37 + 11) % vocab for i in range(T)]


def main():
    cases = json.load(open(os.path.join(HERE, 'cases.json')))
    out = {}
    for name, spec in cases.items():
        with tempfile.TemporaryDirectory() as d:
            subprocess.run(['node', os.path.join(HERE, '../../../scripts/make-family-folder.mjs'), '--case', name, '--out', d], check=True)
            c = json.load(open(os.path.join(d, 'config.json')))
            w, shas = read_folder(d)
        ids = ids_for(c['vocab_size'])
        taps, logits = neox(c, w, ids) if c['model_type'] == 'gpt_neox' else llama_like(c, w, ids)
        logs = {t: np.log(np.linalg.norm(v, axis=-1)) for t, v in taps.items()}
        out[name] = {'ids': ids, 'weights_sha256': shas, 'log_norms': {t: v.tolist() for t, v in logs.items()},
                     'ar2_params': {t: ar2(v) for t, v in logs.items()}}
        out[name]['logits_tail'] = logits[-2:].tolist()  # through the tied or untied LM head: the last 2 tokens
        print(name, 'ok', file=sys.stderr)
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(out, f, indent=1)


if __name__ == '__main__':
    main()
