/** "1 indicator", "2 indicators": counts in words, never "1 indicators". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString()} ${n === 1 ? one : many}`;
