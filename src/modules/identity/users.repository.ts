import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import { violatedConstraint } from '../../core/database/postgres-errors.js';
import { ReadDatabase } from '../../core/database/read-database.js';
import type { PublicUser, UserContact } from './identity.types.js';
import { UserEntity } from './user.entity.js';

export type UniqueField = 'email' | 'username';

const CONSTRAINT_FIELD: Record<string, UniqueField> = {
  UQ_users_email: 'email',
  UQ_users_username: 'username',
  UQ_users_username_lower: 'username',
};

/** Public columns only: reads for profiles and lists never load the password hash. */
const PUBLIC_SELECT = 'SELECT id, username, bio, image FROM users';

@Injectable()
export class UsersRepository {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly reads: ReadDatabase,
  ) {}

  exists(id: string): Promise<boolean> {
    return this.users.existsBy({ id });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** Profiles and list authors: replica-eligible (ReadDatabase), the primary after the caller's own writes. */
  findPublicByIds(ids: string[]): Promise<PublicUser[]> {
    if (ids.length === 0) return Promise.resolve([]);
    // = ANY($1) rather than IN ($1, $2, ...): one statement text whatever the number of ids.
    return this.reads.query<PublicUser>(`${PUBLIC_SELECT} WHERE id = ANY($1)`, [ids]);
  }

  async findPublicByUsername(username: string): Promise<PublicUser | null> {
    const [user] = await this.reads.query<PublicUser>(`${PUBLIC_SELECT} WHERE username = $1 LIMIT 1`, [username]);
    return user ?? null;
  }

  /** The account with this username, case-insensitively (usernames are unique regardless of case). */
  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne();
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email });
  }

  /** Which of the given unique values are already used by someone other than `exceptId`. */
  async takenFields(values: { email?: string; username?: string }, exceptId?: string): Promise<UniqueField[]> {
    if (!values.email && !values.username) return [];
    const rows = await this.users
      .createQueryBuilder('u')
      .select(['u.id', 'u.email', 'u.username'])
      .where('(u.email = :email OR lower(u.username) = lower(:username))', {
        email: values.email ?? null,
        username: values.username ?? null,
      })
      .getMany();
    const others = rows.filter((row) => row.id !== exceptId);
    const taken: UniqueField[] = [];
    if (values.email && others.some((row) => row.email === values.email)) taken.push('email');
    if (values.username && others.some((row) => row.username.toLowerCase() === values.username?.toLowerCase())) {
      taken.push('username');
    }
    return taken;
  }

  /** In `manager`'s transaction: the registration and its outbox message commit together. */
  insert(manager: EntityManager, user: Pick<UserEntity, 'email' | 'username' | 'passwordHash'>): Promise<UserEntity> {
    const repository = manager.getRepository(UserEntity);
    return repository.save(repository.create({ ...user, bio: null, image: null, role: 'user' }));
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.users.manager.transaction(work);
  }

  /** Contacts (with the email address) of the given users, from the primary; unknown ids are left out. */
  findContacts(ids: string[]): Promise<UserContact[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.users.query('SELECT id, username, email FROM users WHERE id = ANY($1)', [ids]);
  }

  save(user: UserEntity): Promise<UserEntity> {
    return this.users.save(user);
  }
}

/** Maps a unique violation (a race lost to a concurrent request) to the field it concerns. */
export function uniqueViolationField(error: unknown): UniqueField | undefined {
  const constraint = violatedConstraint(error, 'unique');
  return constraint === undefined ? undefined : CONSTRAINT_FIELD[constraint];
}
