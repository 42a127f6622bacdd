// placeholder until the 'ols' command lands
export async function olsCommand(_argv: string[]): Promise<number> {
  process.stderr.write('normscope ols: not built yet\n');
  return 2;
}
