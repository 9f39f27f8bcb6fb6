/* fs-sim-chip.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Register addresses and bit positions are those that esptool
 * (targets/esp32.py, loader.py) and esptool-js (targets/esp32.ts) read.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fs-sim-chip.h"

#define EFUSE_BLK0_RDATA_BASE  0x3FF5A000u
#define EFUSE_BLK0_WORDS       7
#define APB_CTL_DATE_REG       0x3FF6607Cu
#define UART_CLKDIV_REG        0x3FF40014u
#define RTC_CALI_CFG1_REG      0x3FF5F06Cu

#define SPI1_BASE              0x3FF42000u
#define SPI1_CMD_REG           (SPI1_BASE + 0x00)
#define SPI1_USR2_REG          (SPI1_BASE + 0x24)
#define SPI1_W0_REG            (SPI1_BASE + 0x80)
#define SPI_CMD_USR            (1u << 18)

#define SPIFLASH_RDID          0x9F
#define SPIFLASH_RDSR          0x05
#define SPIFLASH_RDSR2         0x35

/* esptool's ESP32 change_baud() simulates the ROM's crystal estimate as
 * cali * 15625 * ck8m / 40 from these two: values whose product gives the
 * configured crystal exactly make the ROM baud request the one asked for. */
#define CK8M_FREQ              128u

#define EFUSE_WORD3_PKG_SHIFT  9
#define EFUSE_PKG_D0WD         1u
#define EFUSE_WORD3_CPU_RATED  (1u << 13)
#define EFUSE_WORD3_REV_BIT0   (1u << 15)
#define EFUSE_WORD5_REV_BIT1   (1u << 20)
#define EFUSE_WORD5_MINOR_S    24
#define APB_DATE_REV_BIT2      (1u << 31)
#define EFUSE_WORD0_CRYPT_CNT  (1u << 20)
#define EFUSE_WORD6_ABS_DONE_0 (1u << 4)

struct _FsSimChip
{
  GObject          parent_instance;

  FsSimChipConfig  config;
  FsSimFlash      *flash;
  guint            baud;
  GHashTable      *regs;   /* address → last written value */
};

G_DEFINE_FINAL_TYPE (FsSimChip, fs_sim_chip, G_TYPE_OBJECT)

void
fs_sim_chip_config_init_default (FsSimChipConfig *config,
                                 const guint8     mac[6])
{
  g_return_if_fail (config != NULL);
  g_return_if_fail (mac != NULL);

  memset (config, 0, sizeof *config);
  memcpy (config->mac, mac, 6);
  config->revision_major = 3;
  config->revision_minor = 0;
  config->xtal_mhz = 40;
}

static void
fs_sim_chip_finalize (GObject *object)
{
  FsSimChip *self = FS_SIM_CHIP (object);

  g_clear_object (&self->flash);
  g_hash_table_unref (self->regs);

  G_OBJECT_CLASS (fs_sim_chip_parent_class)->finalize (object);
}

static void
fs_sim_chip_class_init (FsSimChipClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_sim_chip_finalize;
}

static void
fs_sim_chip_init (FsSimChip *self)
{
  self->baud = 115200;
  self->regs = g_hash_table_new (g_direct_hash, g_direct_equal);
}

FsSimChip *
fs_sim_chip_new (const FsSimChipConfig *config,
                 FsSimFlash            *flash)
{
  FsSimChip *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (FS_IS_SIM_FLASH (flash), NULL);
  g_return_val_if_fail (config->xtal_mhz == 40 || config->xtal_mhz == 26, NULL);
  g_return_val_if_fail (config->revision_major <= 3 && config->revision_minor <= 3, NULL);

  self = g_object_new (FS_TYPE_SIM_CHIP, NULL);
  self->config = *config;
  self->flash = g_object_ref (flash);
  return self;
}

const FsSimChipConfig *
fs_sim_chip_get_config (FsSimChip *self)
{
  g_return_val_if_fail (FS_IS_SIM_CHIP (self), NULL);
  return &self->config;
}

/* The CRC that ESP-IDF checks the factory MAC against
 * (esp_rom_efuse_mac_address_crc8: reflected CRC-8, polynomial 0x8C) */
static guint8
mac_crc8 (const guint8 *mac)
{
  guint8 crc = 0;

  for (guint i = 0; i < 6; i++)
    {
      crc ^= mac[i];
      for (guint bit = 0; bit < 8; bit++)
        crc = (crc & 1) ? (crc >> 1) ^ 0x8C : crc >> 1;
    }
  return crc;
}

/* The three revision bits esptool combines into the major revision:
 * 0 → none, 1 → bit 0, 2 → bits 0 and 1, 3 → all three */
static gboolean
revision_bit (FsSimChip *self,
              guint      bit)
{
  return self->config.revision_major > bit;
}

static guint32
read_efuse (FsSimChip *self,
            guint      word)
{
  const guint8 *mac = self->config.mac;
  guint32 value = 0;

  switch (word)
    {
    case 0:
      /* One bit of FLASH_CRYPT_CNT: an odd count means encryption is on */
      return self->config.flash_encryption ? EFUSE_WORD0_CRYPT_CNT : 0;
    case 1:
      return (guint32) mac[2] << 24 | (guint32) mac[3] << 16 | (guint32) mac[4] << 8 | mac[5];
    case 2:
      return (guint32) mac_crc8 (mac) << 16 | (guint32) mac[0] << 8 | mac[1];
    case 3:
      /* A dual-core ESP32-D0WD with Bluetooth rated for 240 MHz */
      value = EFUSE_PKG_D0WD << EFUSE_WORD3_PKG_SHIFT | EFUSE_WORD3_CPU_RATED;
      if (revision_bit (self, 0))
        value |= EFUSE_WORD3_REV_BIT0;
      return value;
    case 4:
      return CK8M_FREQ;
    case 5:
      value = (guint32) self->config.revision_minor << EFUSE_WORD5_MINOR_S;
      if (revision_bit (self, 1))
        value |= EFUSE_WORD5_REV_BIT1;
      return value;
    case 6:
      return self->config.secure_boot ? EFUSE_WORD6_ABS_DONE_0 : 0;
    default:
      g_assert_not_reached ();
    }
}

/* What the ROM's autobaud left in UART_CLKDIV: the integer divider of the
 * crystal (the APB clock in download mode) in bits 0–19, sixteenths in 20–23 */
static guint32
uart_clkdiv (FsSimChip *self)
{
  guint64 div16 = ((guint64) self->config.xtal_mhz * 1000000 * 16 + self->baud / 2) / self->baud;

  return (guint32) ((div16 >> 4) & 0xFFFFF) | (guint32) (div16 & 0xF) << 20;
}

static guint32
rtc_cali_value (FsSimChip *self)
{
  guint64 xtal_hz = (guint64) self->config.xtal_mhz * 1000000;

  return (guint32) (xtal_hz * 40 / 15625 / CK8M_FREQ) << 7;
}

guint32
fs_sim_chip_read_reg (FsSimChip *self,
                      guint32    address)
{
  g_return_val_if_fail (FS_IS_SIM_CHIP (self), 0);

  if (address == FS_SIM_CHIP_DETECT_MAGIC_REG)
    return FS_SIM_ESP32_MAGIC;
  if (address >= EFUSE_BLK0_RDATA_BASE && address < EFUSE_BLK0_RDATA_BASE + 4 * EFUSE_BLK0_WORDS &&
      address % 4 == 0)
    return read_efuse (self, (address - EFUSE_BLK0_RDATA_BASE) / 4);
  if (address == APB_CTL_DATE_REG)
    return revision_bit (self, 2) ? APB_DATE_REV_BIT2 : 0;
  if (address == UART_CLKDIV_REG)
    return uart_clkdiv (self);
  if (address == RTC_CALI_CFG1_REG)
    return rtc_cali_value (self);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->regs, GUINT_TO_POINTER (address)));
}

static void
store (FsSimChip *self,
       guint32    address,
       guint32    value)
{
  g_hash_table_insert (self->regs, GUINT_TO_POINTER (address), GUINT_TO_POINTER (value));
}

/* Runs the SPI user command in USR2's low byte the way flashers use it: the
 * read commands answer in W0, the others (write enable, status writes)
 * change nothing a flasher can see here. */
static void
run_spi_user_command (FsSimChip *self)
{
  guint8 command = fs_sim_chip_read_reg (self, SPI1_USR2_REG) & 0xFF;

  switch (command)
    {
    case SPIFLASH_RDID:
      store (self, SPI1_W0_REG, fs_sim_flash_get_jedec_id (self->flash));
      break;
    case SPIFLASH_RDSR:
    case SPIFLASH_RDSR2:
      store (self, SPI1_W0_REG, 0);
      break;
    default:
      break;
    }
}

void
fs_sim_chip_write_reg (FsSimChip *self,
                       guint32    address,
                       guint32    value,
                       guint32    mask)
{
  guint32 merged;

  g_return_if_fail (FS_IS_SIM_CHIP (self));

  merged = (value & mask) | (fs_sim_chip_read_reg (self, address) & ~mask);
  if (address == SPI1_CMD_REG && (merged & SPI_CMD_USR) != 0)
    {
      run_spi_user_command (self);
      /* The hardware clears the bit when the command is done */
      merged &= ~SPI_CMD_USR;
    }
  store (self, address, merged);
}

void
fs_sim_chip_set_baud (FsSimChip *self,
                      guint      baud)
{
  g_return_if_fail (FS_IS_SIM_CHIP (self));
  g_return_if_fail (baud > 0);
  self->baud = baud;
}

guint
fs_sim_chip_get_baud (FsSimChip *self)
{
  g_return_val_if_fail (FS_IS_SIM_CHIP (self), 0);
  return self->baud;
}
