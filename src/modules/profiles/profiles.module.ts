import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/index.js';
import { FollowEntity } from './follow.entity.js';
import { FollowerCounts } from './follower-counts.js';
import { FollowerQueries } from './follower-queries.js';
import { FollowsRepository } from './follows.repository.js';
import { ProfilesCacheInvalidation } from './profiles.cache.js';
import { ProfilesController } from './profiles.controller.js';
import { ProfilesService } from './profiles.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([FollowEntity]), IdentityModule],
  controllers: [ProfilesController],
  providers: [ProfilesService, FollowsRepository, ProfilesCacheInvalidation, FollowerQueries, FollowerCounts],
  exports: [ProfilesService, FollowerQueries, FollowerCounts],
})
export class ProfilesModule {}
