import { Module } from '@nestjs/common';
import { TokenSubjects } from '../../core/auth/token-subjects.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityController } from './identity.controller.js';
import { IdentityService } from './identity.service.js';
import { PasswordHasher } from './password.hasher.js';
import { UserEntity } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity])],
  controllers: [IdentityController],
  providers: [
    IdentityService,
    UsersRepository,
    PasswordHasher,
    { provide: TokenSubjects, useExisting: IdentityService },
  ],
  exports: [IdentityService],
})
export class IdentityModule {}
