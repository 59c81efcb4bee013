/**
 * The state every form's submit needs: busy while it runs, the error if it failed (shown by
 * ErrorBanner and field errors), cleared when it runs again. `run` resolves true on success.
 */
import { useCallback, useState } from 'react';

export function useAction() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, error, busy };
}
