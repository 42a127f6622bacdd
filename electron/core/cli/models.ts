// placeholder until the 'models' command lands
export async function modelsCommand(_argv: string[]): Promise<number> {
  process.stderr.write('normscope models: not built yet\n');
  return 2;
}
