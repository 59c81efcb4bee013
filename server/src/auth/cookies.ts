/** The session cookie: httpOnly, SameSite=Lax, Secure behind TLS (DESIGN.md section 8). */
import { parse, serialize } from 'cookie';
import type { Response } from 'express';

export const SESSION_COOKIE = 'huntroom_session';
export const SESSION_DAYS = 14;

export function readSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return parse(header)[SESSION_COOKIE] || undefined;
}

export function setSessionCookie(res: Response, token: string, secure: boolean): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: SESSION_DAYS * 86_400 }));
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 }));
}
