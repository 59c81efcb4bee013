/** Import errors: a malformed input is refused with where it went wrong. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}
