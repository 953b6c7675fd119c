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
