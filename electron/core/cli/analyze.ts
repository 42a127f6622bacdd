// placeholder until the 'analyze' command lands
export async function analyzeCommand(_argv: string[]): Promise<number> {
  process.stderr.write('normscope analyze: not built yet\n');
  return 2;
}
