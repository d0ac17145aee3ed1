import { positionOf } from './denominators.service';

describe('positionOf', () => {
  it('leaders and managers, with or without diacritics, any case', () => {
    for (const title of [
      'Giám đốc',
      'GIÁM ĐỐC',
      'giam doc',
      'Phó Giám đốc Sở',
      'Trưởng phòng',
      'Phó Trưởng phòng',
      'lãnh đạo, quản lý',
      'Lãnh đạo',
      'Quản lý',
      'Chủ tịch UBND xã',
      'Bí thư Đảng ủy',
      'Chánh Văn phòng',
      'leader',
      'Manager',
      'Head of division',
      'Director',
      'Giám đốc'.normalize('NFD'),
    ]) {
      expect([title, positionOf(title)]).toEqual([title, 'leader']);
    }
  });

  it('staff (and anything unknown, blank or absent)', () => {
    for (const title of [
      'Chuyên viên',
      'chuyên viên chính',
      'công chức',
      'Công chức, viên chức',
      'Viên chức',
      'Nhân viên',
      'Cán bộ',
      'staff',
      'Kế toán',
      '',
      undefined,
    ]) {
      expect([title, positionOf(title)]).toEqual([title, 'staff']);
    }
  });

  it('a title naming both (a staff word and a leader word) is a leader', () => {
    expect(positionOf('Cán bộ quản lý')).toBe('leader');
    expect(positionOf('Phó Trưởng phòng, công chức')).toBe('leader');
  });
});
