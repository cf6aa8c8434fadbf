import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** An admin's override of a flag's default (src/core/flags/feature-flags.ts). */
@Entity('feature_flags')
export class FeatureFlagEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'rollout_percent', type: 'smallint' })
  rolloutPercent: number;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
