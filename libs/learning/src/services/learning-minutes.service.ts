import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface DailyMinutes {
  userId: string;
  /** YYYY-MM-DD, Asia/Ho_Chi_Minh */
  localDate: string;
  minutes: number;
}

/**
 * The learning-minutes read model for other libraries (a worker's weekly hour counts minutes a
 * linked account learned on Hocso). Whole minutes per user and local date, all courses together.
 */
@Injectable()
export class LearningMinutesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async minutesFor(userIds: string[], fromLocalDate: string, toLocalDate: string): Promise<DailyMinutes[]> {
    if (!userIds.length) return [];
    const rows: Array<{ user_id: string; local_date: string; seconds: number }> = await this.dataSource.query(
      `SELECT user_id, to_char(local_date, 'YYYY-MM-DD') AS local_date, sum(seconds)::int AS seconds
         FROM learning_minutes_daily
        WHERE user_id = ANY($1::uuid[]) AND local_date BETWEEN $2 AND $3
        GROUP BY user_id, local_date ORDER BY user_id, local_date`,
      [userIds, fromLocalDate, toLocalDate],
    );
    return rows.map((r) => ({ userId: r.user_id, localDate: r.local_date, minutes: Math.floor(r.seconds / 60) }));
  }

  /** Per course and local date, for one learner (their own view and export). */
  async byCourse(userId: string): Promise<Array<{ localDate: string; courseId: string; minutes: number }>> {
    const rows: Array<{ local_date: string; course_id: string; seconds: number }> = await this.dataSource.query(
      `SELECT to_char(local_date, 'YYYY-MM-DD') AS local_date, course_id, seconds FROM learning_minutes_daily
        WHERE user_id = $1 ORDER BY local_date, course_id`,
      [userId],
    );
    return rows.map((r) => ({ localDate: r.local_date, courseId: r.course_id, minutes: Math.floor(r.seconds / 60) }));
  }
}
