// Small building blocks shared by every page, so forms look and read the same everywhere.
import type { Child } from 'hono/jsx';

/** The outcome of what the person just did, announced by screen readers without moving the focus. */
export function Notice({ children }: { children?: Child }) {
  return <p role="status" class="notice">{children}</p>;
}

interface ButtonProps {
  /** One primary button per form: the action the page is for. */
  variant?: 'primary' | 'secondary';
  name?: string;
  value?: string;
  children?: Child;
}

/** A submit button; name and value tell the handler which action was chosen. */
export function Button({ variant = 'primary', name, value, children }: ButtonProps) {
  return (
    <button type="submit" class={`button ${variant}`} name={name} value={value}>
      {children}
    </button>
  );
}

/** A control with its visible label, tied by id: clicking the label focuses it, screen readers announce it. */
export function Field({ id, label, children }: { id: string; label: Child; children?: Child }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
    </div>
  );
}

/** A group of controls under one caption. */
export function Section({ legend, children }: { legend: Child; children?: Child }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}
