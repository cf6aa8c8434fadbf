export { ProfilesModule } from './profiles.module.js';
export { ProfilesService, UNKNOWN_PROFILE } from './profiles.service.js';
export { ProfileDto } from './dto/profile-response.dto.js';
