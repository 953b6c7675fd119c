// Small building blocks shared by every page, so forms look and read the same everywhere.
import type { Child } from 'hono/jsx';

/**
 * The outcome of what the person just did (success), a state to know about (info), or a warning before something
 * that cannot be undone. Outcomes are announced by screen readers without moving the focus.
 */
export function Notice({ tone = 'success', children }: { tone?: 'success' | 'info' | 'warning'; children?: Child }) {
  return <p role={tone === 'success' ? 'status' : undefined} class={`notice ${tone}`}>{children}</p>;
}

/**
 * primary: the action the page is for, one per page. secondary: the other actions. danger: what takes something
 * away (unsubscribing from everything); danger-primary: the last step of what cannot be undone.
 */
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'danger-primary';

interface ButtonProps {
  variant?: ButtonVariant;
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

/** A link that looks like a button: for a step that changes nothing yet (a GET), such as opening a confirmation. */
export function LinkButton({ href, variant = 'secondary', children }: { href: string; variant?: ButtonVariant; children?: Child }) {
  return <a class={`button ${variant}`} href={href}>{children}</a>;
}

/** A row of buttons that wraps on narrow screens; `even`: buttons of one kind, as wide as each other on a phone. */
export function Actions({ even, children }: { even?: boolean; children?: Child }) {
  return <div class={even ? 'actions even' : 'actions'}>{children}</div>;
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

/** A group of controls under one caption; `columns` sets its fields side by side on wide screens. */
export function Section({ legend, columns, children }: { legend: Child; columns?: boolean; children?: Child }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div class={columns ? 'fields columns' : 'fields'}>{children}</div>
    </fieldset>
  );
}

/** A part of a page under its own heading, set apart by a rule: a secondary action and what it does. */
export function Panel({ title, children }: { title: Child; children?: Child }) {
  return (
    <section class="panel">
      <h2>{title}</h2>
      {children}
    </section>
  );
}
