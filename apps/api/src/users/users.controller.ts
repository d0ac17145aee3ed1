import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Role } from '@hocso/common';
import { UsersService } from '@hocso/identity';
import { mapPage, type PageDto } from '../common/pagination.dto';
import { Authenticated, CurrentActor } from '../http/auth/auth.decorators';
import { Idempotent } from '../http/idempotency.interceptor';
import { CreateUserDto, ListUsersQueryDto, mapUser, SetRolesDto, UserDto, UserIdParam } from './dto/users.dto';

@ApiTags('users')
@Authenticated(Role.ProvinceAdmin, Role.OrgAdmin)
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Idempotent({ required: false })
  @ApiOperation({ summary: 'Create a user inside your org-unit subtree' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, dto).then(mapUser);
  }

  @Get()
  @ApiOperation({ summary: 'Users in your org-unit subtree' })
  list(@CurrentActor() actor: Actor, @Query() query: ListUsersQueryDto): Promise<PageDto<UserDto>> {
    return this.users.list(actor, query).then((page) => mapPage(page, mapUser));
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param() params: UserIdParam): Promise<UserDto> {
    return this.users.get(actor, params.id).then(mapUser);
  }

  @Patch(':id/roles')
  @ApiOperation({ summary: 'Set the roles you may grant (others the user holds are kept)' })
  setRoles(@CurrentActor() actor: Actor, @Param() params: UserIdParam, @Body() dto: SetRolesDto): Promise<UserDto> {
    return this.users.setRoles(actor, params.id, dto.roles).then(mapUser);
  }
}
