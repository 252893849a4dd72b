/** Turns passwords into slow salted hashes and checks them; the adapter picks the algorithm. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Whether a stored hash was made with weaker parameters than the current ones. */
  needsRehash(hash: string): boolean;
}
