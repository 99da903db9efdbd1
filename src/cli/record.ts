// PLACEHOLDER: the consumer work implements `record`.
export async function record(_args: string[]): Promise<number> {
  return 1;
}
