import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TokenSubjects } from '../../core/auth/token-subjects.js';
import { AccountTokenEntity } from './account-token.entity.js';
import { AccountTokens } from './account-tokens.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminUsersService } from './admin-users.service.js';
import { AuthController } from './auth.controller.js';
import { IdentityController } from './identity.controller.js';
import { IdentityService } from './identity.service.js';
import { PasswordHasher } from './password.hasher.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { RevocationList } from './revocation-list.js';
import { SessionEntity } from './session.entity.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { UserEntity } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, SessionEntity, RefreshTokenEntity, AccountTokenEntity])],
  controllers: [IdentityController, AuthController, AdminUsersController],
  providers: [
    IdentityService,
    UsersRepository,
    PasswordHasher,
    SessionsRepository,
    SessionsService,
    RevocationList,
    AccountTokens,
    AdminUsersService,
    { provide: TokenSubjects, useExisting: IdentityService },
  ],
  exports: [IdentityService],
})
export class IdentityModule {}
