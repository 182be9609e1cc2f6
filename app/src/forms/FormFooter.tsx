interface Props {
  /** What went wrong with the last submit, in words; shown as an alert. */
  error: string | null;
  onCancel(): void;
  /** The submit button's label, and its label while the form is busy. */
  submit: string;
  busyLabel: string;
  busy: boolean;
  /** Disables submit besides `busy` (e.g. nothing chosen yet). */
  disabled?: boolean;
}

export function FormFooter({ error, onCancel, submit, busyLabel, busy, disabled = false }: Props) {
  return (
    <>
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
      <div className="form__actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={disabled || busy}>
          {busy ? busyLabel : submit}
        </button>
      </div>
    </>
  );
}
