import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// ajv ships with fastify (a production dependency); only this test uses it.
import Ajv2020 from 'ajv/dist/2020';
import { load } from 'js-yaml';
import { listCourseDirs } from './package-reader';
import { readLibrary } from './library-reader';

const CONTENT = resolve(__dirname, '../../../../content');
const schema = (name: string) => JSON.parse(readFileSync(join(CONTENT, 'schema', name), 'utf8'));

/**
 * content/schema/*.json is what editors' tools and API clients see; it must agree with the
 * validator on the real library and on the rules a schema can express.
 */
describe('content/schema: the JSON Schemas of the package format', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  ajv.addSchema(schema('course-package.schema.json'));
  ajv.addSchema(schema('course-yaml.schema.json'));
  ajv.addSchema(schema('lesson-front-matter.schema.json'));
  const validatePackage = ajv.getSchema('https://hocso.vn/schema/course-package.schema.json')!;
  const validateCourseYaml = ajv.getSchema('https://hocso.vn/schema/course-yaml.schema.json')!;
  const library = readLibrary(CONTENT, { today: '2026-11-27' });

  it('accepts the JSON form of every starter course', () => {
    for (const course of library.courses) {
      const ok = validatePackage(course.package);
      expect({ slug: course.slug, errors: ok ? null : validatePackage.errors }).toEqual({
        slug: course.slug,
        errors: null,
      });
    }
  });

  it('accepts every starter course.yaml', () => {
    for (const dir of listCourseDirs(CONTENT)) {
      const ok = validateCourseYaml(load(readFileSync(join(dir, 'course.yaml'), 'utf8')));
      expect({ dir, errors: ok ? null : validateCourseYaml.errors }).toEqual({ dir, errors: null });
    }
  });

  it('rejects what the validator rejects: two correct single-choice options, an all-correct multiple, no alt', () => {
    const base = JSON.parse(JSON.stringify(library.courses[0].package));
    const quiz = base.modules[0].lessons[0].blocks.find((b: { kind: string }) => b.kind === 'quiz');
    quiz.questions = [
      {
        id: 'x1',
        type: 'single',
        prompt: 'Hỏi',
        options: [
          { text: 'A', correct: true },
          { text: 'B', correct: true },
        ],
        explanation: 'Vì.',
      },
    ];
    expect(validatePackage(base)).toBe(false);
    quiz.questions = [
      {
        id: 'x1',
        type: 'multiple',
        prompt: 'Hỏi',
        options: [
          { text: 'A', correct: true },
          { text: 'B', correct: true },
        ],
        explanation: 'Vì.',
      },
    ];
    expect(validatePackage(base)).toBe(false);
    quiz.questions[0].options.push({ text: 'C' });
    expect(validatePackage(base)).toBe(true);
    base.modules[0].lessons[0].blocks.push({ kind: 'image', src: 'https://example.org/a.png' });
    expect(validatePackage(base)).toBe(false);
  });
});
