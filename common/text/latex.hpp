#pragma once
/**
 * LaTeX as text: the one converter from LaTeX markup to the Unicode a reader expects. The BibTeX
 * reader uses it for every value (BibTeX values are LaTeX); indexing and display use it for the
 * titles and abstracts of every source, because arXiv and conference metadata keep their authors'
 * LaTeX (`$\alpha$-stable`, `Schr\"odinger`, `\emph{robust}`, `e.\,g.`). Stored records keep the
 * text as written, so exports give back what was read (docs/DECISIONS.md, "LaTeX as text").
 *
 * What it does, in both entry points:
 * - accents (`\'e` `\"{o}` `{\v c}` `\'{\i}`) become the precomposed letter, else the letter and a
 *   combining mark; special letters (`\ss` `\o` `\l` ...), Greek letters, math symbols (`\leq`
 *   `\times` `\infty` `\in` `\to` ...), operator names (`\log`) and the text escapes (`\%` `\&`
 *   `\_` ...) their characters;
 * - text-style wrappers (`\emph` `\textbf` `\mathrm` `\mathcal` `\text` ...) keep their argument,
 *   style switches (`\em` `\bf` `\left` `\big` ...) vanish, `\mathbb{R}` is ℝ, `\frac{a}{b}` a/b,
 *   `\sqrt{x}` √x, `\cite{a,b}` [a, b], `\url{...}` verbatim, `\href{url}{text}` its text;
 * - `~` `\,` `\;` `\quad` `\\` are spaces, `--` `---` dashes, ``` `` ``` and `''` curly quotes;
 * - math (`$...$`, `$$...$$`, `\(...\)`, `\[...\]`) loses its delimiters and keeps its content:
 *   `$O(n^2)$` -> O(n^2) (`^` stays, a subscript's `_` goes: `$H_2O$` -> H2O), spaces inside it
 *   stay as written (`$n \log n$` -> n log n).
 * Malformed input never fails: unbalanced braces end at the end of the text, a trailing backslash
 * is kept or dropped (below), invalid UTF-8 is copied through byte for byte, nesting deeper than
 * 32 arguments is copied as written, and the work is linear in the text's length.
 */
#include <string>
#include <string_view>

namespace scholarsearch::text {

/// A value that is LaTeX throughout (a BibTeX field): every brace groups, every `$` switches
/// math, `~` is a tie, and unknown commands vanish while their arguments stay as text. White
/// space is kept as it is (the BibTeX reader collapses it).
std::string latex_to_unicode(std::string_view latex);

/// A URL, DOI or file name inside LaTeX: braces dropped and `\_ \% \& \# \$ \{ \} \~` unescaped,
/// nothing else (no `~` to space, no dashes): "http://x.org/{\_}a~b" -> "http://x.org/_a~b".
std::string latex_verbatim(std::string_view latex);

/// Whether `text` holds LaTeX markup: a command or escape the converter knows (`\alpha`, `\'e`,
/// `\%`, `\,`, `\(`) or a `$...$` formula by pandoc's rule (the opening `$` has a non-space
/// character right after it, the closing one a non-space character before it and no digit
/// after it, so "$20,000 and $30,000" is no formula).
bool has_latex(std::string_view text);

/**
 * Text that may hold LaTeX (a title or abstract from any source) as a reader should see it.
 * Text without LaTeX markup (has_latex) is returned unchanged: a `~` range in Chinese text
 * ("50 V~100 V"), `--` or `''` in plain text, a `{` or a price stay as they are. Text with markup
 * is LaTeX source, and converted as latex_to_unicode does, except that a `$` is math only when it
 * pairs up by pandoc's rule (a stray `$5` stays) and unknown commands stay as written, with their
 * braced arguments (`\foo{x}`), so nothing the converter does not understand disappears.
 * Returns `text` itself, or `buffer` holding the conversion.
 */
std::string_view readable(std::string_view text, std::string& buffer);
std::string readable(std::string_view text);

}  // namespace scholarsearch::text
