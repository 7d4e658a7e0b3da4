import { Type } from 'typebox';

/** Shared response shapes, so every route documents its errors the same way. */
export const ErrorBody = Type.Object(
  {
    error: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  },
  { $id: 'ErrorBody' },
);

export const Accepted = Type.Object({
  ok: Type.Boolean(),
  outcome: Type.String(),
  version: Type.Optional(Type.Integer()),
});

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  413: ErrorBody,
  503: ErrorBody,
};

export const Sid = (prefix: string) =>
  Type.String({ pattern: `^${prefix}[0-9a-fA-F]{32}$`, description: `${prefix} + 32 hex digits` });
