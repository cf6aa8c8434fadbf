import { IsIn } from 'class-validator';
import type { ReportFormat } from '../report.entity.js';

export class CreateReportDto {
  /**
   * The file to make: `csv` (one line per article) or `pdf` (a title page with totals, then 40 articles a page).
   * @example "csv"
   */
  @IsIn(['csv', 'pdf'])
  format: ReportFormat;
}
