/* fs-sim-chip.h: the registers of a virtual ESP32 that a flasher reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fs-sim-flash.h"

G_BEGIN_DECLS

#define FS_SIM_CHIP_DETECT_MAGIC_REG 0x40001000u
#define FS_SIM_ESP32_MAGIC           0x00F01D83u

typedef struct {
  guint8   mac[6];
  guint    revision_major;      /* 3 for an ESP32 rev 3 (v3.0) */
  guint    revision_minor;
  guint    xtal_mhz;            /* 40 or 26 */
  gboolean flash_encryption;    /* FLASH_CRYPT_CNT has an odd number of bits set */
  gboolean secure_boot;         /* ABS_DONE_0 */
} FsSimChipConfig;

/* An ESP32 rev v3.0 with a 40 MHz crystal, no security, and @mac */
void fs_sim_chip_config_init_default (FsSimChipConfig *config,
                                      const guint8     mac[6]);

#define FS_TYPE_SIM_CHIP (fs_sim_chip_get_type ())
G_DECLARE_FINAL_TYPE (FsSimChip, fs_sim_chip, FS, SIM_CHIP, GObject)

FsSimChip             *fs_sim_chip_new        (const FsSimChipConfig *config,
                                               FsSimFlash            *flash);
const FsSimChipConfig *fs_sim_chip_get_config (FsSimChip             *self);

/* READ_REG: the chip-detect magic, the eFuse words (MAC, revision,
 * package, flash encryption, secure boot) as esptool and esptool-js
 * decode them, the UART clock divider for the current baud (from which
 * flashers guess the crystal), the APB date register, the SPI1 registers;
 * any other address reads what was last written there, or 0. */
guint32 fs_sim_chip_read_reg  (FsSimChip *self,
                               guint32    address);
/* WRITE_REG (@mask as in the command; 0xFFFFFFFF writes all bits). A
 * write of SPI_CMD_REG with the USR bit runs the SPI user command set up
 * in the SPI1 registers against the flash, the way flashers read the
 * JEDEC ID (0x9F) and the status register (0x05, 0x35), and clears the
 * bit again as the hardware does when done. */
void    fs_sim_chip_write_reg (FsSimChip *self,
                               guint32    address,
                               guint32    value,
                               guint32    mask);
/* The UART baud the chip runs at now (115200 after reset) */
void    fs_sim_chip_set_baud  (FsSimChip *self,
                               guint      baud);
guint   fs_sim_chip_get_baud  (FsSimChip *self);

G_END_DECLS
