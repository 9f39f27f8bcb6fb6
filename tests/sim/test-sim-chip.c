/* test-sim-chip.c: the registers a flasher reads from the virtual ESP32
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each check decodes the registers the way esptool (targets/esp32.py,
 * loader.py) does, with the formulas written out here.
 */
#include <locale.h>
#include <glib/gstdio.h>

#include "fs-sim-chip.h"

#define MiB (1024u * 1024u)
#define EFUSE(n) (0x3FF5A000u + 4 * (n))
#define SPI_BASE 0x3FF42000u

static const guint8 test_mac[6] = { 0x24, 0x0A, 0xC4, 0x12, 0x34, 0x56 };

typedef struct {
  char       *dir;
  char       *path;
  FsSimFlash *flash;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fs-sim-chip-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "flash.bin", NULL);
  fixture->flash = fs_sim_flash_new (fixture->path, 4 * MiB, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->flash);
  g_remove (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static FsSimChip *
chip_new (Fixture               *fixture,
          const FsSimChipConfig *config)
{
  FsSimChipConfig defaults;

  fs_sim_chip_config_init_default (&defaults, test_mac);
  return fs_sim_chip_new (config != NULL ? config : &defaults, fixture->flash);
}

static guint
major_revision (FsSimChip *chip)
{
  guint bit0 = (fs_sim_chip_read_reg (chip, EFUSE (3)) >> 15) & 1;
  guint bit1 = (fs_sim_chip_read_reg (chip, EFUSE (5)) >> 20) & 1;
  guint bit2 = (fs_sim_chip_read_reg (chip, 0x3FF6607C) >> 31) & 1;

  switch (bit2 << 2 | bit1 << 1 | bit0)
    {
    case 1:
      return 1;
    case 3:
      return 2;
    case 7:
      return 3;
    default:
      return 0;
    }
}

static void
test_magic_and_mac (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(FsSimChip) chip = chip_new (fixture, NULL);
  guint32 word1, word2;
  guint8 mac[6];

  g_assert_cmphex (fs_sim_chip_read_reg (chip, 0x40001000), ==, 0x00F01D83);

  /* esptool: struct.pack(">II", efuse[2], efuse[1])[2:8] */
  word1 = fs_sim_chip_read_reg (chip, EFUSE (1));
  word2 = fs_sim_chip_read_reg (chip, EFUSE (2));
  mac[0] = word2 >> 8;
  mac[1] = word2;
  mac[2] = word1 >> 24;
  mac[3] = word1 >> 16;
  mac[4] = word1 >> 8;
  mac[5] = word1;
  g_assert_cmpmem (mac, 6, test_mac, 6);
  /* CRC-8/MAXIM of 24:0a:c4:12:34:56, computed apart from the code */
  g_assert_cmphex ((word2 >> 16) & 0xFF, ==, 0xF5);
  g_assert_cmphex (word2 >> 24, ==, 0);
}

static void
test_revision_and_package (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(FsSimChip) v3 = chip_new (fixture, NULL);
  g_autoptr(FsSimChip) v1 = NULL;
  FsSimChipConfig config;
  guint32 word3 = fs_sim_chip_read_reg (v3, EFUSE (3));
  guint pkg = ((word3 >> 9) & 7) + (((word3 >> 2) & 1) << 3);

  /* "ESP32-D0WD-V3 (revision v3.0)", dual core, BT, 240 MHz */
  g_assert_cmpuint (major_revision (v3), ==, 3);
  g_assert_cmpuint ((fs_sim_chip_read_reg (v3, EFUSE (5)) >> 24) & 3, ==, 0);
  g_assert_cmpuint (pkg, ==, 1);
  g_assert_cmpuint (word3 & 1, ==, 0);
  g_assert_cmpuint (word3 & 2, ==, 0);
  g_assert_cmpuint (word3 & (1 << 13), !=, 0);
  g_assert_cmpuint (word3 & (1 << 12), ==, 0);
  g_assert_cmpuint (fs_sim_chip_read_reg (v3, EFUSE (6)) & 3, ==, 0);

  fs_sim_chip_config_init_default (&config, test_mac);
  config.revision_major = 1;
  config.revision_minor = 2;
  v1 = chip_new (fixture, &config);
  g_assert_cmpuint (major_revision (v1), ==, 1);
  g_assert_cmpuint ((fs_sim_chip_read_reg (v1, EFUSE (5)) >> 24) & 3, ==, 2);
}

static void
test_security (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(FsSimChip) plain = chip_new (fixture, NULL);
  g_autoptr(FsSimChip) secure = NULL;
  FsSimChipConfig config;
  guint32 crypt_cnt;

  g_assert_cmphex (fs_sim_chip_read_reg (plain, EFUSE (0)) & (0x7F << 20), ==, 0);
  g_assert_cmphex (fs_sim_chip_read_reg (plain, EFUSE (6)) & (1 << 4), ==, 0);

  fs_sim_chip_config_init_default (&config, test_mac);
  config.flash_encryption = TRUE;
  config.secure_boot = TRUE;
  secure = chip_new (fixture, &config);
  crypt_cnt = fs_sim_chip_read_reg (secure, EFUSE (0)) & (0x7F << 20);
  g_assert_cmpuint (__builtin_popcount (crypt_cnt) % 2, ==, 1);
  g_assert_cmphex (fs_sim_chip_read_reg (secure, EFUSE (6)) & (1 << 4), ==, 1 << 4);
}

/* esptool's get_crystal_freq(): baud × (UART_CLKDIV & 0xFFFFF) / 1e6 */
static double
estimated_xtal (FsSimChip *chip,
                guint      baud)
{
  return (double) baud * (fs_sim_chip_read_reg (chip, 0x3FF40014) & 0xFFFFF) / 1e6;
}

/* esptool's ESP32 get_rom_cal_crystal_freq() */
static guint64
rom_calculated_xtal (FsSimChip *chip)
{
  guint64 cali = (fs_sim_chip_read_reg (chip, 0x3FF5F06C) >> 7) & 0x1FFFFFF;
  guint64 ck8m = fs_sim_chip_read_reg (chip, EFUSE (4)) & 0xFF;

  return cali * 15625 * ck8m / 40;
}

static void
test_crystal (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(FsSimChip) chip = chip_new (fixture, NULL);
  g_autoptr(FsSimChip) chip26 = NULL;
  FsSimChipConfig config;

  g_assert_cmpuint (fs_sim_chip_get_baud (chip), ==, 115200);
  g_assert_cmpfloat_with_epsilon (estimated_xtal (chip, 115200), 40.0, 1.0);
  g_assert_cmpuint (rom_calculated_xtal (chip), ==, 40000000);
  fs_sim_chip_set_baud (chip, 921600);
  g_assert_cmpfloat_with_epsilon (estimated_xtal (chip, 921600), 40.0, 1.0);

  fs_sim_chip_config_init_default (&config, test_mac);
  config.xtal_mhz = 26;
  chip26 = chip_new (fixture, &config);
  g_assert_cmpfloat_with_epsilon (estimated_xtal (chip26, 115200), 26.0, 1.0);
  g_assert_cmpuint (rom_calculated_xtal (chip26), ==, 26000000);
}

/* esptool's run_spiflash_command(), step by step */
static guint32
run_spiflash_command (FsSimChip *chip,
                      guint8     command,
                      guint      read_bits)
{
  guint32 old_usr = fs_sim_chip_read_reg (chip, SPI_BASE + 0x1C);
  guint32 old_usr2 = fs_sim_chip_read_reg (chip, SPI_BASE + 0x24);
  guint32 status;
  guint tries;

  fs_sim_chip_write_reg (chip, SPI_BASE + 0x2C, read_bits - 1, 0xFFFFFFFF);
  fs_sim_chip_write_reg (chip, SPI_BASE + 0x1C, 1u << 31 | 1u << 28, 0xFFFFFFFF);
  fs_sim_chip_write_reg (chip, SPI_BASE + 0x24, 7u << 28 | command, 0xFFFFFFFF);
  fs_sim_chip_write_reg (chip, SPI_BASE + 0x80, 0, 0xFFFFFFFF);
  fs_sim_chip_write_reg (chip, SPI_BASE + 0x00, 1u << 18, 0xFFFFFFFF);
  for (tries = 0; tries < 10; tries++)
    if ((fs_sim_chip_read_reg (chip, SPI_BASE) & (1u << 18)) == 0)
      break;
  g_assert_cmpuint (tries, <, 10);
  status = fs_sim_chip_read_reg (chip, SPI_BASE + 0x80);
  fs_sim_chip_write_reg (chip, SPI_BASE + 0x1C, old_usr, 0xFFFFFFFF);
  fs_sim_chip_write_reg (chip, SPI_BASE + 0x24, old_usr2, 0xFFFFFFFF);
  return status;
}

static void
test_spi_commands (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(FsSimChip) chip = chip_new (fixture, NULL);

  /* Winbond, W25Q, 4 MiB: "Manufacturer: ef Device: 4016" */
  g_assert_cmphex (run_spiflash_command (chip, 0x9F, 24), ==, 0x1640EF);
  g_assert_cmphex (run_spiflash_command (chip, 0x05, 8), ==, 0);
  g_assert_cmphex (run_spiflash_command (chip, 0x35, 8), ==, 0);
  /* The saved registers came back */
  g_assert_cmphex (fs_sim_chip_read_reg (chip, SPI_BASE + 0x24), ==, 0);
  g_assert_cmphex (fs_sim_chip_read_reg (chip, SPI_BASE + 0x2C), ==, 7);
}

static void
test_plain_registers (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(FsSimChip) chip = chip_new (fixture, NULL);

  g_assert_cmphex (fs_sim_chip_read_reg (chip, 0x3FF48074), ==, 0);
  fs_sim_chip_write_reg (chip, 0x3FF48074, 0x12345678, 0xFFFFFFFF);
  g_assert_cmphex (fs_sim_chip_read_reg (chip, 0x3FF48074), ==, 0x12345678);
  /* Only the masked bits change */
  fs_sim_chip_write_reg (chip, 0x3FF48074, 0xABCDEF00, 0x0000FF00);
  g_assert_cmphex (fs_sim_chip_read_reg (chip, 0x3FF48074), ==, 0x1234EF78);
  /* The chip-detect register is ROM */
  fs_sim_chip_write_reg (chip, 0x40001000, 0, 0xFFFFFFFF);
  g_assert_cmphex (fs_sim_chip_read_reg (chip, 0x40001000), ==, 0x00F01D83);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sim-chip/magic-and-mac", Fixture, NULL, fixture_set_up, test_magic_and_mac, fixture_tear_down);
  g_test_add ("/sim-chip/revision-and-package", Fixture, NULL, fixture_set_up, test_revision_and_package, fixture_tear_down);
  g_test_add ("/sim-chip/security", Fixture, NULL, fixture_set_up, test_security, fixture_tear_down);
  g_test_add ("/sim-chip/crystal", Fixture, NULL, fixture_set_up, test_crystal, fixture_tear_down);
  g_test_add ("/sim-chip/spi-commands", Fixture, NULL, fixture_set_up, test_spi_commands, fixture_tear_down);
  g_test_add ("/sim-chip/plain-registers", Fixture, NULL, fixture_set_up, test_plain_registers, fixture_tear_down);

  return g_test_run ();
}
