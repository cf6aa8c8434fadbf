import { ApiProperty } from '@nestjs/swagger';
/** One invalid field. */
export class FieldErrorDto {
  /** Dotted path of the field, e.g. `user.email`. */
  field: string;
  message: string;
}

/** RFC 9457 problem details: the error body of every non-RealWorld route. */
export class ErrorResponseDto {
  /** URI identifying the problem type. */
  type: string;
  title: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599 })
  status: number;
  /** Stable machine-readable code, e.g. `VALIDATION_FAILED`. */
  code: string;
  detail: string;
  errors: FieldErrorDto[];
  /** Echoes the `x-request-id` response header; quote it when reporting a problem. */
  requestId: string;
}

export class RealWorldErrorBodyDto {
  /** Human-readable messages. */
  body: string[];
}

/** The RealWorld spec's error body (`{"errors":{"body":[...]}}`), plus a stable code and the request id. */
export class RealWorldErrorResponseDto {
  errors: RealWorldErrorBodyDto;
  /** Stable machine-readable code, e.g. `EMAIL_TAKEN`. */
  code: string;
  requestId: string;
}
