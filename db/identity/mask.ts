// A fixed number of stars, so the masked value does not tell how long the hidden part was.
const ID_STARS = '*'.repeat(11);
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
// Family names of two characters; 欧阳 alone is still read as 欧 plus a given name (see maskName).
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
]);
// Separators in transliterated minority and foreign names (阿依古丽·买买提) stay, so the mask reads as a name.
const NAME_SEPARATORS = new Set(['·', '•', '・', ' ', '-']);

/**
 * Masks a citizen ID number or credit code for display: the first 3 and last 4 characters around 11 stars,
 * e.g. `110***********1234`. A value under 8 characters is all stars, since 3 + 4 kept would show most of it.
 */
export function maskIdNumber(value: string): string {
  const chars = Array.from(value.trim());
  if (chars.length < 8) {
    return ID_STARS;
  }
  return `${chars.slice(0, 3).join('')}${ID_STARS}${chars.slice(-4).join('')}`;
}

/**
 * Masks a phone number for display: a mainland mobile number (optionally +86 or 0086) keeps its first 3 and
 * last 4 digits (`138****8000`); anything else, such as a landline, keeps only its last 4 digits after
 * `****`.
 */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const national = digits.replace(/^(?:0086|86)(?=1\d{10}$)/, '');
  if (MAINLAND_MOBILE.test(national)) {
    return `${national.slice(0, 3)}****${national.slice(-4)}`;
  }
  // With 4 digits or fewer, keeping the last 4 would show the whole number.
  return digits.length > 4 ? `****${digits.slice(-4)}` : '****';
}

/**
 * Masks a person's name for display: the family name stays, every other character becomes `*` (`张*`, `欧阳**`).
 * Compound family names count only in names of 3 or more characters; for other scripts the first letter
 * stays.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  const head = chars.length >= 3 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  const rest = chars.slice(head).map((char) => (NAME_SEPARATORS.has(char) ? char : '*'));
  return [...chars.slice(0, head), ...rest].join('');
}
