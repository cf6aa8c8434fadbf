// The text of the seeded rows. Faker makes a few thousand pieces once; PostgreSQL then picks among them per
// row, so a million articles cost no more JavaScript than a thousand (generating text per row in SQL or in
// JavaScript is what made the old seed slow).
import { faker } from '@faker-js/faker';

export const TAG_POOL = 150;

export interface ContentPools {
  tags: string[];
  titles: string[];
  descriptions: string[];
  bodies: string[];
  comments: string[];
  names: string[];
  bios: string[];
}

const randomInt = (min: number, max: number) => faker.number.int({ min, max });

/** The same tag names on every run (fixed seed), so appends reuse the tags instead of growing a long tail. */
function tagPool(): string[] {
  faker.seed(2024);
  const names = new Set<string>();
  for (let attempts = 0; names.size < TAG_POOL && attempts < TAG_POOL * 50; attempts += 1) {
    const word = faker.word
      .noun()
      .toLowerCase()
      .replace(/[^a-z]+/g, '-');
    names.add(faker.datatype.boolean(0.2) ? `${word}-${faker.word.adjective().toLowerCase()}` : word);
  }
  faker.seed();
  return [...names];
}

function body(): string {
  const sections = Array.from({ length: randomInt(1, 3) }, () => {
    const heading = `## ${faker.lorem.words(randomInt(2, 5))}`;
    return `${heading}\n\n${faker.lorem.paragraphs(randomInt(1, 3), '\n\n')}`;
  });
  return sections.join('\n\n');
}

export function contentPools(): ContentPools {
  const titles = [() => faker.hacker.phrase(), () => faker.company.catchPhrase(), () => faker.lorem.sentence()];
  return {
    tags: tagPool(),
    titles: Array.from({ length: 3000 }, () =>
      faker.helpers
        .arrayElement(titles)()
        .replace(/[.!]+$/, '')
        .slice(0, 200),
    ),
    descriptions: Array.from({ length: 2000 }, () => faker.lorem.sentence({ min: 6, max: 16 })),
    bodies: Array.from({ length: 500 }, body),
    comments: Array.from({ length: 1000 }, () => faker.lorem.sentences(randomInt(1, 4))),
    // Username stems: letters, digits, `_`, `.` and `-` only, as the API accepts.
    names: Array.from(
      { length: 2000 },
      () =>
        faker.internet
          .username()
          .replace(/[^A-Za-z0-9_-]/g, '')
          .slice(0, 20) || 'user',
    ),
    bios: Array.from({ length: 500 }, () => faker.person.bio()),
  };
}
