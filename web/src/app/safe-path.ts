/** Only paths of this app: an address from the URL pointing elsewhere would be an open redirect. */
export function safePath(path: string | null): string | null {
  return path && path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : null;
}
