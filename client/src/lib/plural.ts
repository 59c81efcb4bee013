/** "1 note", "3 notes": a count with its noun in the right number (English; `many` for irregular plurals). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
