/* fs-packet.h: command and response packets of the ESP ROM loader and stub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  FS_OP_FLASH_BEGIN       = 0x02,
  FS_OP_FLASH_DATA        = 0x03,
  FS_OP_FLASH_END         = 0x04,
  FS_OP_MEM_BEGIN         = 0x05,
  FS_OP_MEM_END           = 0x06,
  FS_OP_MEM_DATA          = 0x07,
  FS_OP_SYNC              = 0x08,
  FS_OP_WRITE_REG         = 0x09,
  FS_OP_READ_REG          = 0x0A,
  FS_OP_SPI_SET_PARAMS    = 0x0B,
  FS_OP_SPI_ATTACH        = 0x0D,
  FS_OP_READ_FLASH_SLOW   = 0x0E,
  FS_OP_CHANGE_BAUDRATE   = 0x0F,
  FS_OP_FLASH_DEFL_BEGIN  = 0x10,
  FS_OP_FLASH_DEFL_DATA   = 0x11,
  FS_OP_FLASH_DEFL_END    = 0x12,
  FS_OP_SPI_FLASH_MD5     = 0x13,
  FS_OP_GET_SECURITY_INFO = 0x14,
  /* stub loader only */
  FS_OP_ERASE_FLASH       = 0xD0,
  FS_OP_ERASE_REGION      = 0xD1,
  FS_OP_READ_FLASH        = 0xD2,
  FS_OP_RUN_USER_CODE     = 0xD3,
} FsOpcode;

#define FS_PACKET_DIRECTION_COMMAND  0x00
#define FS_PACKET_DIRECTION_RESPONSE 0x01
#define FS_PACKET_HEADER_SIZE        8
#define FS_PACKET_CHECKSUM_SEED      0xEF
/* FLASH_DATA, MEM_DATA and FLASH_DEFL_DATA: size, sequence, two zero words */
#define FS_PACKET_DATA_HEADER_SIZE   16

/* How many status bytes end a response's data: the ESP32 ROM sends four
 * (status, error, two stale bytes), the stub two. */
typedef enum {
  FS_STATUS_LEN_STUB = 2,
  FS_STATUS_LEN_ROM  = 4,
} FsStatusLen;

/* XOR of @data seeded with 0xEF, as the loader checks the data blocks */
guint8  fs_packet_checksum           (const guint8 *data,
                                      gsize         len);

/* An unframed command packet: direction 0, @opcode, length, @checksum
 * (only data commands carry one; others send 0), @data. */
GBytes *fs_packet_command_new        (guint8        opcode,
                                      const guint8 *data,
                                      gsize         len,
                                      guint32       checksum);
/* A FLASH_DATA, FLASH_DEFL_DATA or MEM_DATA packet: the 16-byte data header
 * (length, @seq, 0, 0) then @payload, the checksum taken over @payload. */
GBytes *fs_packet_data_command_new   (guint8        opcode,
                                      guint32       seq,
                                      const guint8 *payload,
                                      gsize         len);
/* SYNC as the ROM expects it: 07 07 12 20 then 32 × 0x55 */
GBytes *fs_packet_sync_new           (void);
/* A command built from 32-bit little-endian words: most commands are. */
GBytes *fs_packet_words_command_new  (guint8         opcode,
                                      const guint32 *words,
                                      guint          n_words);

typedef struct {
  guint8   opcode;
  guint32  checksum;
  GBytes  *data;
} FsCommand;

/* What the virtual board receives. Checks direction and length only: the
 * checksum is the receiver's business, as the ROM answers a bad one. */
FsCommand *fs_command_parse          (const guint8 *frame,
                                      gsize         len,
                                      GError      **error);
void       fs_command_free           (FsCommand    *command);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsCommand, fs_command_free)

typedef struct {
  guint8   opcode;
  guint32  value;
  GBytes  *data;      /* the data before the status bytes */
  guint8   status;    /* 0: success */
  guint8   error;     /* the loader's error code when status != 0 */
} FsResponse;

/* Parses one unescaped response frame. The frame must be a response
 * (direction 1) whose length field agrees with its size and leaves room
 * for @status_len status bytes; otherwise FS_ERROR_INVALID_DATA. */
FsResponse *fs_response_parse        (const guint8 *frame,
                                      gsize         len,
                                      FsStatusLen   status_len,
                                      GError      **error);
void        fs_response_free         (FsResponse   *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsResponse, fs_response_free)
/* FALSE with FS_ERROR_LOADER and a readable message when the status says
 * the command failed. */
gboolean    fs_response_check        (const FsResponse *response,
                                      GError          **error);
/* An unframed response packet, as the ROM (@status_len 4, the two extra
 * bytes zero) or the stub sends it. */
GBytes     *fs_packet_response_new   (guint8        opcode,
                                      guint32       value,
                                      const guint8 *data,
                                      gsize         len,
                                      guint8        status,
                                      guint8        error,
                                      FsStatusLen   status_len);

/* The ROM's and the stub's error codes in words ("Invalid CRC in message") */
const char *fs_loader_error_describe (guint8        code);
/* "FLASH_BEGIN", or "0x99" for an unknown opcode; static or interned */
const char *fs_opcode_to_string      (guint8        opcode);

G_END_DECLS
