/** One article as both formats print it. */
export interface ReportRow {
  slug: string;
  title: string;
  createdAt: Date;
  favoritesCount: number;
  commentsCount: number;
  tags: string[];
}

/** What the PDF's title page shows. */
export interface ReportSummary {
  username: string;
  generatedAt: Date;
  articles: number;
  favorites: number;
  comments: number;
  followers: number;
}
