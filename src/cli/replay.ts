// PLACEHOLDER: the consumer work implements `replay`.
export async function replay(_args: string[]): Promise<number> {
  return 1;
}
