// Domain errors: services throw these; the HTTP layer alone decides status codes.

export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string | number) {
    super('not_found', `${what} ${id} was not found`);
  }
}

/** Input that is well-formed but breaks a rule (unknown attribute, bad phone, MJML error…). */
export class InvalidInputError extends DomainError {
  constructor(message: string, readonly problems: FieldProblem[]) {
    super('invalid_input', message, problems);
  }
}

/** The request conflicts with the current state (launching a sent campaign, a duplicate key…). */
export class ConflictError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, details);
  }
}

/** A statement ran past its statement timeout (PostgreSQL 57014): the work was stopped, nothing was kept. */
export class QueryTimeoutError extends DomainError {
  constructor(readonly limitMs: number) {
    super('query_timeout', `The query was stopped after its ${limitMs} ms time limit; narrow the rule or try again later`, { limit_ms: limitMs });
  }
}

/** Input larger than a limit (a request body, a line of a CSV file): answered 413, naming the limit. */
export class TooLargeError extends DomainError {
  constructor(message: string, details?: FieldProblem[]) {
    super('payload_too_large', message, details);
  }
}
