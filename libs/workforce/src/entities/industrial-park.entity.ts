import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Workforce profile of an org unit of kind industrial_park (the unit itself lives in identity). */
@Entity('industrial_park')
export class IndustrialParkEntity {
  @PrimaryColumn({ type: 'uuid' })
  orgUnitId: string;

  @Column({ type: 'uuid', nullable: true })
  communeId: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
