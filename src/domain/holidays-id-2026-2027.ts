/**
 * Indonesian national holidays (hari libur nasional) 2026–2027, shipped as posko's default holiday
 * list, in the POSKO_HOLIDAYS file format (`YYYY-MM-DD name`, `#` starts a comment): copy it into
 * a file, edit, and point POSKO_HOLIDAYS at it to replace it.
 *
 * 2026: as set by the SKB 3 Menteri (Menteri Agama, Menteri Ketenagakerjaan, Menteri PANRB)
 * No. 1497/2025, No. 2/2025, No. 5/2025 (17 days). Cuti bersama (8 days) are listed commented
 * out: they bind the civil service, and a contact center decides for itself whether it calls
 * customers on them — uncomment them in your own file to treat them as holidays.
 *
 * 2027: the SKB for 2027 was not in hand when this list was written. Fixed dates and those that
 * follow from the Gregorian and Chinese calendars are certain; the Islamic, Saka and Buddhist
 * dates are astronomical estimates, marked "(perkiraan)" — replace them with the SKB's dates.
 */
export const SHIPPED_HOLIDAYS_TEXT = `
# Libur nasional 2026 — SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025
2026-01-01 Tahun Baru 2026 Masehi
2026-01-16 Isra Mikraj Nabi Muhammad SAW
2026-02-17 Tahun Baru Imlek 2577 Kongzili
2026-03-19 Hari Suci Nyepi Tahun Baru Saka 1948
2026-03-21 Idulfitri 1447 H
2026-03-22 Idulfitri 1447 H
2026-04-03 Wafat Yesus Kristus
2026-04-05 Kebangkitan Yesus Kristus (Paskah)
2026-05-01 Hari Buruh Internasional
2026-05-14 Kenaikan Yesus Kristus
2026-05-27 Iduladha 1447 H
2026-05-31 Hari Raya Waisak 2570 BE
2026-06-01 Hari Lahir Pancasila
2026-06-16 1 Muharam Tahun Baru Islam 1448 H
2026-08-17 Proklamasi Kemerdekaan Republik Indonesia
2026-08-25 Maulid Nabi Muhammad SAW
2026-12-25 Kelahiran Yesus Kristus (Natal)
# Cuti bersama 2026 (same SKB) — optional, uncomment to treat as holidays
# 2026-02-16 Cuti bersama Tahun Baru Imlek
# 2026-03-18 Cuti bersama Hari Suci Nyepi
# 2026-03-20 Cuti bersama Idulfitri
# 2026-03-23 Cuti bersama Idulfitri
# 2026-03-24 Cuti bersama Idulfitri
# 2026-05-15 Cuti bersama Kenaikan Yesus Kristus
# 2026-05-28 Cuti bersama Iduladha
# 2026-12-24 Cuti bersama Natal

# Libur nasional 2027 — fixed and computed dates (certain)
2027-01-01 Tahun Baru 2027 Masehi
2027-02-06 Tahun Baru Imlek 2578 Kongzili
2027-03-26 Wafat Yesus Kristus
2027-03-28 Kebangkitan Yesus Kristus (Paskah)
2027-05-01 Hari Buruh Internasional
2027-05-06 Kenaikan Yesus Kristus
2027-06-01 Hari Lahir Pancasila
2027-08-17 Proklamasi Kemerdekaan Republik Indonesia
2027-12-25 Kelahiran Yesus Kristus (Natal)
# Libur nasional 2027 — estimates until the SKB for 2027 is applied
2027-01-05 Isra Mikraj Nabi Muhammad SAW (perkiraan)
2027-03-09 Hari Suci Nyepi Tahun Baru Saka 1949 (perkiraan)
2027-03-10 Idulfitri 1448 H (perkiraan)
2027-03-11 Idulfitri 1448 H (perkiraan)
2027-05-17 Iduladha 1448 H (perkiraan)
2027-05-20 Hari Raya Waisak 2571 BE (perkiraan)
2027-06-06 1 Muharam Tahun Baru Islam 1449 H (perkiraan)
2027-08-15 Maulid Nabi Muhammad SAW (perkiraan)
`;
