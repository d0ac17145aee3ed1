import { escapeHtml, inlineHtml, markdownHtml } from '../src/ui/learner/markdown-html';

/** The lesson renderer emits HTML that the browser parses: nothing from the source may become markup. */
describe('markdownHtml (lesson text)', () => {
  it('escapes raw HTML in text, headings, lists, tables, quotes and code', () => {
    const source = [
      '# Tiêu đề <script>alert(1)</script>',
      '',
      'Đoạn văn <img src=x onerror=alert(1)> & "trích dẫn"',
      '',
      '- mục <b>đậm</b>',
      '',
      '| Cột <i>1</i> | Cột 2 |',
      '|---|---|',
      '| <svg onload=alert(1)> | `a<b` |',
      '',
      '> trích <iframe>',
      '',
      '```',
      '</code><script>x()</script>',
      '```',
    ].join('\n');
    const html = markdownHtml(source);
    expect(html).not.toMatch(/<(script|img|svg|iframe|b|i)\b/i);
    expect(html).toContain('<h2>Tiêu đề &lt;script&gt;alert(1)&lt;/script&gt;</h2>');
    expect(html).toContain('<p>Đoạn văn &lt;img src=x onerror=alert(1)&gt; &amp; &quot;trích dẫn&quot;</p>');
    expect(html).toContain('<th scope="col">Cột &lt;i&gt;1&lt;/i&gt;</th>');
    expect(html).toContain('<td><code>a&lt;b</code></td>');
    expect(html).toContain('<pre><code>&lt;/code&gt;&lt;script&gt;x()&lt;/script&gt;</code></pre>');
    expect(html).toContain('<blockquote><p>trích &lt;iframe&gt;</p></blockquote>');
  });

  it('links and images only to safe addresses; attributes cannot be broken out of', () => {
    // the address stops at the first ')': the rest stays text
    expect(inlineHtml('[bấm](javascript:alert(1))')).toBe('bấm)');
    expect(inlineHtml('[bấm](JavaScript:void%200)')).toBe('bấm');
    expect(inlineHtml('[bấm](//evil.example/x)')).toBe('bấm');
    expect(inlineHtml('![ảnh](data:image/png;base64,AAAA)')).toBe('ảnh');
    expect(inlineHtml('[cổng](https://dichvucong.gov.vn/"onmouseover="x)')).toBe(
      '<a href="https://dichvucong.gov.vn/&quot;onmouseover=&quot;x" rel="noopener noreferrer">cổng</a>',
    );
    expect(inlineHtml('[bài 2](/courses/a/lessons/b)')).toBe('<a href="/courses/a/lessons/b">bài 2</a>');
    expect(inlineHtml('![Màn hình "đăng nhập"](/media/a.png)')).toBe(
      '<img src="/media/a.png" alt="Màn hình &quot;đăng nhập&quot;" loading="lazy">',
    );
  });

  it('renders the supported Markdown', () => {
    expect(markdownHtml('## Phần\n\n**Đậm** và *nghiêng*, _cũng nghiêng_, snake_case_word')).toBe(
      '<h3>Phần</h3><p><strong>Đậm</strong> và <em>nghiêng</em>, <em>cũng nghiêng</em>, snake_case_word</p>',
    );
    expect(markdownHtml('3. ba\n4. bốn\n   tiếp')).toBe('<ol start="3"><li>ba</li><li>bốn tiếp</li></ol>');
    expect(markdownHtml('1. một')).toBe('<ol><li>một</li></ol>');
    expect(markdownHtml('dòng một\ndòng hai\n\n---')).toBe('<p>dòng một dòng hai</p><hr>');
    expect(markdownHtml('| a |\n|---|\n| b |')).toBe(
      '<div class="table-wrap" tabindex="0" role="region" aria-label="a"><table><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table></div>',
    );
  });

  it('escapeHtml covers the five characters', () => {
    expect(escapeHtml(`<a href='x' title="y">&</a>`)).toBe(
      '&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;',
    );
  });
});
