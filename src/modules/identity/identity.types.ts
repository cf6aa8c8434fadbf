/** What other modules may know of a user: the public fields only. */
export interface PublicUser {
  id: string;
  username: string;
  bio: string | null;
  image: string | null;
}
