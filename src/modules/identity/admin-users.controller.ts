import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated } from '../../core/auth/auth.decorators.js';
import { Actor } from '../../core/audit/audit-actor.decorator.js';
import { AuditReasonDto } from '../../core/audit/dto/audit-reason.dto.js';
import type { AuditActor } from '../../core/audit/audit-log.js';
import { ErrorResponseDto } from '../../core/http/error-response.dto.js';
import { AdminUsersService } from './admin-users.service.js';
import { AdminUserResponseDto, ChangeRoleDto } from './dto/auth.dto.js';

const NOT_FOUND = { description: 'No user has this username (`USER_NOT_FOUND`)', type: ErrorResponseDto };
const SELF = {
  description:
    'Admins cannot suspend or re-role themselves (`SELF_ADMINISTRATION`), or the caller is not an admin (`ROLE_REQUIRED`)',
  type: ErrorResponseDto,
};

/** Accounts, as admins manage them: role and suspension. Every change is in the audit log. */
@ApiTags('admin')
@Controller('api/v1/admin/users')
@Authenticated({ role: 'admin' })
@ApiUnprocessableEntityResponse({ description: 'The body is not valid', type: ErrorResponseDto })
export class AdminUsersController {
  constructor(private readonly admin: AdminUsersService) {}

  /** An account's role and suspension status. */
  @Get(':username')
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async getUser(@Param('username') username: string): Promise<AdminUserResponseDto> {
    return { user: await this.admin.get(username) };
  }

  /** Change an account's role (`user`, `moderator`, `admin`); its sessions end, so its next login carries the role. */
  @Put(':username/role')
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiForbiddenResponse(SELF)
  async changeRole(
    @Actor() actor: AuditActor,
    @Param('username') username: string,
    @Body() body: ChangeRoleDto,
  ): Promise<AdminUserResponseDto> {
    return { user: await this.admin.changeRole(actor, username, body.role, body.reason) };
  }

  /** Suspend an account: its tokens stop working at once and it cannot log in until unsuspended. */
  @Post(':username/suspend')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiForbiddenResponse(SELF)
  async suspend(
    @Actor() actor: AuditActor,
    @Param('username') username: string,
    @Body() body: AuditReasonDto,
  ): Promise<AdminUserResponseDto> {
    return { user: await this.admin.suspend(actor, username, body.reason) };
  }

  /** Lift a suspension: the account may log in again (its old sessions stay ended). */
  @Post(':username/unsuspend')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async unsuspend(
    @Actor() actor: AuditActor,
    @Param('username') username: string,
    @Body() body: AuditReasonDto,
  ): Promise<AdminUserResponseDto> {
    return { user: await this.admin.unsuspend(actor, username, body.reason) };
  }
}
