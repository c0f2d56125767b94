import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from './mask.ts';

describe('maskIdNumber', () => {
  it('keeps the first 3 and last 4 characters around 11 stars', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskIdNumber(' 91350100M000100Y43 ')).toBe('913***********0Y43');
  });

  it('gives the same length whatever the length of the value, so the kind of number does not leak', () => {
    expect(maskIdNumber('110105491231002')).toBe('110***********1002');
    expect(maskIdNumber('11010519491231002X')).toHaveLength(18);
    expect(maskIdNumber('12345678')).toBe('123***********5678');
  });

  it('hides a value too short to keep 7 characters of entirely', () => {
    expect(maskIdNumber('1234567')).toBe('***********');
    expect(maskIdNumber('')).toBe('***********');
  });
});

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 digits of a mainland mobile number', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+86 138-0013-8000')).toBe('138****8000');
    expect(maskPhone('0086 13800138000')).toBe('138****8000');
    expect(maskPhone('19912345678')).toBe('199****5678');
  });

  it('keeps only the last 4 digits of a landline or anything else', () => {
    expect(maskPhone('010-65123456')).toBe('****3456');
    expect(maskPhone('0591 8765 4321')).toBe('****4321');
    expect(maskPhone('12345678901')).toBe('****8901');
    expect(maskPhone('+852 9123 4567')).toBe('****4567');
  });

  it('hides a number of 4 digits or fewer entirely', () => {
    expect(maskPhone('110')).toBe('****');
    expect(maskPhone('12345')).toBe('****2345');
    expect(maskPhone('')).toBe('****');
  });
});

describe('maskName', () => {
  it('keeps a one-character family name and stars each other character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('王小明')).toBe('王**');
    expect(maskName(' 李 ')).toBe('李');
  });

  it('keeps a compound family name in names of 3 or more characters', () => {
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('诸葛亮')).toBe('诸葛*');
    expect(maskName('司马相如')).toBe('司马**');
    expect(maskName('轩辕剑')).toBe('轩辕*');
  });

  it('reads a two-character name starting like a compound surname as family name plus given name', () => {
    expect(maskName('欧阳')).toBe('欧*');
  });

  it('counts characters outside the basic plane once', () => {
    expect(maskName('𠮷野家')).toBe('𠮷**');
  });

  it('keeps separators of transliterated and foreign names', () => {
    expect(maskName('阿依古丽·买买提')).toBe('阿***·***');
    expect(maskName('John Smith')).toBe('J*** *****');
  });
});
