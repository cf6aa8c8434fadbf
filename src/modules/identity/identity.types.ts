/** What other modules may know of a user: the public fields only. */
export interface PublicUser {
  id: string;
  username: string;
  bio: string | null;
  image: string | null;
}

/** Where to reach a user, for the modules that send mail: never part of an API answer about someone else. */
export interface UserContact {
  id: string;
  username: string;
  email: string;
}
