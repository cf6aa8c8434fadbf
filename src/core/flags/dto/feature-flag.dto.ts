import { IsBoolean, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FeatureFlagDto {
  /** @example tag-counts */
  name: string;
  description: string;
  enabled: boolean;
  /** Share of signed-in users who get the feature while it is enabled. */
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 })
  rolloutPercent: number;
  /** Whether an admin override (rather than the default in code) is in force. */
  overridden: boolean;
}

export class FeatureFlagListDto {
  flags: FeatureFlagDto[];
}

export class UpdateFeatureFlagDto {
  /** @example true */
  @IsBoolean()
  enabled: boolean;

  /** 0 to 100; the flag's default when left out. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100, example: 25 })
  @ValidateIf((_object, value) => value !== undefined) // not @IsOptional(), which lets null through
  @IsInt()
  @Min(0)
  @Max(100)
  rolloutPercent?: number;
}
