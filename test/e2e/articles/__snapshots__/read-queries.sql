-- GET /api/articles (anonymous): 3 queries
SELECT COALESCE(sum(count), 0)::int AS count FROM article_counts WHERE scope = $1 AND owner_id = $2;
SELECT id, username, bio, image FROM users WHERE id = ANY($1);
WITH page AS (SELECT d.id AS id, d.created_at AS created_at FROM articles d WHERE d.hidden_at IS NULL ORDER BY d.created_at DESC, d.id DESC LIMIT $1 OFFSET $2) SELECT a.id, a.slug, a.title, a.description, a.author_id AS "authorId", a.favorites_count AS "favoritesCount", a.created_at AS "createdAt", a.updated_at AS "updatedAt", COALESCE(tags.names, '{}') AS "tagList", false AS favorited FROM page JOIN articles a ON a.id = page.id LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true ORDER BY page.created_at DESC, page.id DESC;

-- GET /api/articles (authenticated): 4 queries
SELECT COALESCE(sum(count), 0)::int AS count FROM article_counts WHERE scope = $1 AND owner_id = $2;
SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2);
SELECT id, username, bio, image FROM users WHERE id = ANY($1);
WITH page AS (SELECT d.id AS id, d.created_at AS created_at FROM articles d WHERE d.hidden_at IS NULL ORDER BY d.created_at DESC, d.id DESC LIMIT $1 OFFSET $2) SELECT a.id, a.slug, a.title, a.description, a.author_id AS "authorId", a.favorites_count AS "favoritesCount", a.created_at AS "createdAt", a.updated_at AS "updatedAt", COALESCE(tags.names, '{}') AS "tagList", EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $3) AS favorited FROM page JOIN articles a ON a.id = page.id LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true ORDER BY page.created_at DESC, page.id DESC;

-- GET /api/articles?tag (count from the tag counter): 4 queries
SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2);
SELECT id, articles_count AS "articlesCount" FROM tags WHERE name = $1;
SELECT id, username, bio, image FROM users WHERE id = ANY($1);
WITH page AS (SELECT d.article_id AS id, d.created_at AS created_at FROM article_tags d WHERE d.tag_id = $1 AND EXISTS (SELECT 1 FROM articles v WHERE v.id = d.article_id AND v.hidden_at IS NULL) ORDER BY d.created_at DESC, d.article_id DESC LIMIT $2 OFFSET $3) SELECT a.id, a.slug, a.title, a.description, a.author_id AS "authorId", a.favorites_count AS "favoritesCount", a.created_at AS "createdAt", a.updated_at AS "updatedAt", COALESCE(tags.names, '{}') AS "tagList", EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $4) AS favorited FROM page JOIN articles a ON a.id = page.id LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true ORDER BY page.created_at DESC, page.id DESC;

-- GET /api/articles?tag&author&favorited: 7 queries
SELECT COALESCE(sum(count), 0)::int AS count FROM article_counts WHERE scope = $1 AND owner_id = ANY($2::uuid[]);
SELECT COALESCE(sum(count), 0)::int AS count FROM article_counts WHERE scope = $1 AND owner_id = ANY($2::uuid[]);
SELECT count(*)::int AS count FROM articles d WHERE d.author_id = $1 AND d.hidden_at IS NULL AND EXISTS (SELECT 1 FROM article_tags x WHERE x.article_id = d.id AND x.tag_id = $2) AND EXISTS (SELECT 1 FROM favorites x WHERE x.user_id = $3 AND x.article_id = d.id);
SELECT id, articles_count AS "articlesCount" FROM tags WHERE name = $1;
SELECT id, username, bio, image FROM users WHERE username = $1 LIMIT 1;
SELECT id, username, bio, image FROM users WHERE username = $1 LIMIT 1;
WITH page AS (SELECT d.id AS id, d.created_at AS created_at FROM articles d WHERE d.author_id = $1 AND d.hidden_at IS NULL AND EXISTS (SELECT 1 FROM article_tags x WHERE x.article_id = d.id AND x.tag_id = $2) AND EXISTS (SELECT 1 FROM favorites x WHERE x.user_id = $3 AND x.article_id = d.id) ORDER BY d.created_at DESC, d.id DESC LIMIT $4 OFFSET $5) SELECT a.id, a.slug, a.title, a.description, a.author_id AS "authorId", a.favorites_count AS "favoritesCount", a.created_at AS "createdAt", a.updated_at AS "updatedAt", COALESCE(tags.names, '{}') AS "tagList", EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $6) AS favorited FROM page JOIN articles a ON a.id = page.id LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true ORDER BY page.created_at DESC, page.id DESC;

-- GET /api/articles?author (count from the author counter): 4 queries
SELECT COALESCE(sum(count), 0)::int AS count FROM article_counts WHERE scope = $1 AND owner_id = ANY($2::uuid[]);
SELECT id, username, bio, image FROM users WHERE id = ANY($1);
SELECT id, username, bio, image FROM users WHERE username = $1 LIMIT 1;
WITH page AS (SELECT d.id AS id, d.created_at AS created_at FROM articles d WHERE d.author_id = $1 AND d.hidden_at IS NULL ORDER BY d.created_at DESC, d.id DESC LIMIT $2 OFFSET $3) SELECT a.id, a.slug, a.title, a.description, a.author_id AS "authorId", a.favorites_count AS "favoritesCount", a.created_at AS "createdAt", a.updated_at AS "updatedAt", COALESCE(tags.names, '{}') AS "tagList", false AS favorited FROM page JOIN articles a ON a.id = page.id LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true ORDER BY page.created_at DESC, page.id DESC;

-- GET /api/articles?favorited (count from the user counter): 4 queries
SELECT COALESCE(sum(count), 0)::int AS count FROM article_counts WHERE scope = $1 AND owner_id = ANY($2::uuid[]);
SELECT id, username, bio, image FROM users WHERE id = ANY($1);
SELECT id, username, bio, image FROM users WHERE username = $1 LIMIT 1;
WITH page AS (SELECT d.article_id AS id, d.article_created_at AS created_at FROM favorites d WHERE d.user_id = $1 AND EXISTS (SELECT 1 FROM articles v WHERE v.id = d.article_id AND v.hidden_at IS NULL) ORDER BY d.article_created_at DESC, d.article_id DESC LIMIT $2 OFFSET $3) SELECT a.id, a.slug, a.title, a.description, a.author_id AS "authorId", a.favorites_count AS "favoritesCount", a.created_at AS "createdAt", a.updated_at AS "updatedAt", COALESCE(tags.names, '{}') AS "tagList", false AS favorited FROM page JOIN articles a ON a.id = page.id LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true ORDER BY page.created_at DESC, page.id DESC;

-- GET /api/articles/feed: 5 queries
SELECT COALESCE(sum(count), 0)::int AS count FROM article_counts WHERE scope = $1 AND owner_id = ANY($2::uuid[]);
SELECT followee_id FROM follows WHERE follower_id = $1;
SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2);
SELECT id, username, bio, image FROM users WHERE id = ANY($1);
WITH page AS (SELECT p.id, p.created_at FROM unnest($1::uuid[]) AS f(author_id) CROSS JOIN LATERAL (SELECT a.id, a.created_at FROM articles a WHERE a.author_id = f.author_id AND a.hidden_at IS NULL ORDER BY a.created_at DESC, a.id DESC LIMIT $2) p ORDER BY p.created_at DESC, p.id DESC LIMIT $3 OFFSET $4) SELECT a.id, a.slug, a.title, a.description, a.author_id AS "authorId", a.favorites_count AS "favoritesCount", a.created_at AS "createdAt", a.updated_at AS "updatedAt", COALESCE(tags.names, '{}') AS "tagList", EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $5) AS favorited FROM page JOIN articles a ON a.id = page.id LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true ORDER BY page.created_at DESC, page.id DESC;

-- GET /api/v1/articles?tag: 4 queries
SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2);
SELECT id, articles_count AS "articlesCount" FROM tags WHERE name = $1;
SELECT id, username, bio, image FROM users WHERE id = ANY($1);
WITH page AS (SELECT d.article_id AS id, d.created_at AS created_at FROM article_tags d WHERE d.tag_id = $1 AND EXISTS (SELECT 1 FROM articles v WHERE v.id = d.article_id AND v.hidden_at IS NULL) ORDER BY d.created_at DESC, d.article_id DESC LIMIT $2) SELECT a.id, a.slug, a.title, a.description, a.author_id AS "authorId", a.favorites_count AS "favoritesCount", a.created_at AS "createdAt", a.updated_at AS "updatedAt", COALESCE(tags.names, '{}') AS "tagList", EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $3) AS favorited, to_char(page.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt" FROM page JOIN articles a ON a.id = page.id LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true ORDER BY page.created_at DESC, page.id DESC;

-- GET /api/v1/articles/feed?cursor: 4 queries
SELECT followee_id FROM follows WHERE follower_id = $1;
SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2);
SELECT id, username, bio, image FROM users WHERE id = ANY($1);
WITH page AS (SELECT p.id, p.created_at FROM unnest($1::uuid[]) AS f(author_id) CROSS JOIN LATERAL (SELECT a.id, a.created_at FROM articles a WHERE a.author_id = f.author_id AND a.hidden_at IS NULL AND (a.created_at, a.id) < ($3::timestamptz, $4::uuid) ORDER BY a.created_at DESC, a.id DESC LIMIT $2) p ORDER BY p.created_at DESC, p.id DESC LIMIT $5) SELECT a.id, a.slug, a.title, a.description, a.author_id AS "authorId", a.favorites_count AS "favoritesCount", a.created_at AS "createdAt", a.updated_at AS "updatedAt", COALESCE(tags.names, '{}') AS "tagList", EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $6) AS favorited, to_char(page.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt" FROM page JOIN articles a ON a.id = page.id LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true ORDER BY page.created_at DESC, page.id DESC;

-- GET /api/articles/:slug: 3 queries
SELECT a.id, a.slug, a.title, a.description, a.body, a.author_id AS "authorId", a.favorites_count AS "favoritesCount", a.created_at AS "createdAt", a.updated_at AS "updatedAt", COALESCE(tags.names, '{}') AS "tagList", EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $2) AS favorited, a.hidden_at AS "hiddenAt", a.hidden_by AS "hiddenBy" FROM articles a LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true WHERE a.slug = $1;
SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2);
SELECT id, username, bio, image FROM users WHERE id = ANY($1);

-- GET /api/articles/:slug/comments: 4 queries
SELECT "ArticleEntity"."id" AS "ArticleEntity_id", "ArticleEntity"."slug" AS "ArticleEntity_slug", "ArticleEntity"."author_id" AS "ArticleEntity_author_id", "ArticleEntity"."hidden_at" AS "ArticleEntity_hidden_at" FROM "articles" "ArticleEntity" WHERE (("ArticleEntity"."slug" = $1)) LIMIT 1;
SELECT "c"."id" AS "c_id", "c"."article_id" AS "c_article_id", "c"."author_id" AS "c_author_id", "c"."body" AS "c_body", "c"."created_at" AS "c_created_at", "c"."updated_at" AS "c_updated_at", "c"."hidden_at" AS "c_hidden_at", "c"."hidden_by" AS "c_hidden_by" FROM "comments" "c" WHERE "c"."article_id" = $1 AND ("c"."hidden_at" IS NULL OR "c"."author_id" = $2) ORDER BY "c"."created_at" DESC, "c"."id" DESC LIMIT 500;
SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2);
SELECT id, username, bio, image FROM users WHERE id = ANY($1);

-- GET /api/profiles/:username: 2 queries
SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2);
SELECT id, username, bio, image FROM users WHERE username = $1 LIMIT 1;

-- GET /api/tags: 1 queries
SELECT name FROM tags WHERE articles_count > 0 ORDER BY articles_count DESC, name ASC LIMIT $1;
