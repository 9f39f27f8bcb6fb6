/* fs-packet.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-packet.h"

static void
put_u16 (guint8  *out,
         guint16  value)
{
  out[0] = value & 0xFF;
  out[1] = value >> 8;
}

static void
put_u32 (guint8  *out,
         guint32  value)
{
  for (guint i = 0; i < 4; i++)
    out[i] = (value >> (8 * i)) & 0xFF;
}

static guint16
get_u16 (const guint8 *in)
{
  return (guint16) (in[0] | (in[1] << 8));
}

static guint32
get_u32 (const guint8 *in)
{
  return (guint32) in[0] | ((guint32) in[1] << 8) | ((guint32) in[2] << 16) | ((guint32) in[3] << 24);
}

guint8
fs_packet_checksum (const guint8 *data,
                    gsize         len)
{
  guint8 checksum = FS_PACKET_CHECKSUM_SEED;

  for (gsize i = 0; i < len; i++)
    checksum ^= data[i];
  return checksum;
}

/* A packet header for @len bytes of data, followed by room for them */
static GByteArray *
packet_new (guint8  direction,
            guint8  opcode,
            gsize   len,
            guint32 value)
{
  GByteArray *packet = g_byte_array_sized_new (FS_PACKET_HEADER_SIZE + len);

  g_byte_array_set_size (packet, FS_PACKET_HEADER_SIZE + len);
  packet->data[0] = direction;
  packet->data[1] = opcode;
  put_u16 (packet->data + 2, len);
  put_u32 (packet->data + 4, value);
  return packet;
}

GBytes *
fs_packet_command_new (guint8        opcode,
                       const guint8 *data,
                       gsize         len,
                       guint32       checksum)
{
  GByteArray *packet;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (len <= G_MAXUINT16, NULL);

  packet = packet_new (FS_PACKET_DIRECTION_COMMAND, opcode, len, checksum);
  if (len > 0)
    memcpy (packet->data + FS_PACKET_HEADER_SIZE, data, len);
  return g_byte_array_free_to_bytes (packet);
}

GBytes *
fs_packet_data_command_new (guint8        opcode,
                            guint32       seq,
                            const guint8 *payload,
                            gsize         len)
{
  GByteArray *packet;
  guint8 *header;

  g_return_val_if_fail (payload != NULL || len == 0, NULL);
  g_return_val_if_fail (len <= G_MAXUINT16 - FS_PACKET_DATA_HEADER_SIZE, NULL);

  packet = packet_new (FS_PACKET_DIRECTION_COMMAND, opcode,
                       FS_PACKET_DATA_HEADER_SIZE + len,
                       fs_packet_checksum (payload, len));
  header = packet->data + FS_PACKET_HEADER_SIZE;
  put_u32 (header, len);
  put_u32 (header + 4, seq);
  put_u32 (header + 8, 0);
  put_u32 (header + 12, 0);
  if (len > 0)
    memcpy (header + FS_PACKET_DATA_HEADER_SIZE, payload, len);
  return g_byte_array_free_to_bytes (packet);
}

GBytes *
fs_packet_sync_new (void)
{
  guint8 data[36] = { 0x07, 0x07, 0x12, 0x20 };

  memset (data + 4, 0x55, 32);
  return fs_packet_command_new (FS_OP_SYNC, data, sizeof data, 0);
}

GBytes *
fs_packet_words_command_new (guint8         opcode,
                             const guint32 *words,
                             guint          n_words)
{
  GByteArray *packet;

  g_return_val_if_fail (words != NULL || n_words == 0, NULL);
  g_return_val_if_fail (n_words <= G_MAXUINT16 / 4, NULL);

  packet = packet_new (FS_PACKET_DIRECTION_COMMAND, opcode, n_words * 4, 0);
  for (guint i = 0; i < n_words; i++)
    put_u32 (packet->data + FS_PACKET_HEADER_SIZE + 4 * i, words[i]);
  return g_byte_array_free_to_bytes (packet);
}

/* Checks what commands and responses share: the header, the direction and
 * that the length field matches what follows it. */
static gboolean
check_header (const guint8  *frame,
              gsize          len,
              guint8         direction,
              GError       **error)
{
  gsize data_len;

  if (len < FS_PACKET_HEADER_SIZE)
    {
      g_autofree char *size = fs_format_size (len);
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("The packet is %s long, shorter than a packet header (8 bytes)"), size);
      return FALSE;
    }
  if (frame[0] != direction)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   direction == FS_PACKET_DIRECTION_RESPONSE
                   ? _("The packet is not a reply: its direction byte is 0x%02x, not 0x01")
                   : _("The packet is not a command: its direction byte is 0x%02x, not 0x00"),
                   frame[0]);
      return FALSE;
    }
  data_len = get_u16 (frame + 2);
  if (data_len != len - FS_PACKET_HEADER_SIZE)
    {
      g_autofree char *announced = fs_format_size (data_len);
      g_autofree char *found = fs_format_size (len - FS_PACKET_HEADER_SIZE);
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("The packet says it carries %s of data, but it has %s after its header"),
                   announced, found);
      return FALSE;
    }
  return TRUE;
}

FsCommand *
fs_command_parse (const guint8 *frame,
                  gsize         len,
                  GError      **error)
{
  FsCommand *command;

  g_return_val_if_fail (frame != NULL || len == 0, NULL);

  if (!check_header (frame, len, FS_PACKET_DIRECTION_COMMAND, error))
    return NULL;

  command = g_new0 (FsCommand, 1);
  command->opcode = frame[1];
  command->checksum = get_u32 (frame + 4);
  command->data = g_bytes_new (frame + FS_PACKET_HEADER_SIZE, len - FS_PACKET_HEADER_SIZE);
  return command;
}

void
fs_command_free (FsCommand *command)
{
  if (command == NULL)
    return;
  g_bytes_unref (command->data);
  g_free (command);
}

FsResponse *
fs_response_parse (const guint8 *frame,
                   gsize         len,
                   FsStatusLen   status_len,
                   GError      **error)
{
  FsResponse *response;
  const guint8 *status;
  gsize data_len;

  g_return_val_if_fail (frame != NULL || len == 0, NULL);
  g_return_val_if_fail (status_len == FS_STATUS_LEN_STUB || status_len == FS_STATUS_LEN_ROM, NULL);

  if (!check_header (frame, len, FS_PACKET_DIRECTION_RESPONSE, error))
    return NULL;
  data_len = len - FS_PACKET_HEADER_SIZE;
  if (data_len < (gsize) status_len)
    {
      g_autofree char *size = fs_format_size (data_len);
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("The reply carries %s of data, too few for its %u status bytes"),
                   size, (guint) status_len);
      return NULL;
    }

  /* The ROM's last two status bytes are stale: only the first two count */
  status = frame + len - status_len;
  response = g_new0 (FsResponse, 1);
  response->opcode = frame[1];
  response->value = get_u32 (frame + 4);
  response->data = g_bytes_new (frame + FS_PACKET_HEADER_SIZE, data_len - status_len);
  response->status = status[0];
  response->error = status[1];
  return response;
}

void
fs_response_free (FsResponse *response)
{
  if (response == NULL)
    return;
  g_bytes_unref (response->data);
  g_free (response);
}

gboolean
fs_response_check (const FsResponse  *response,
                   GError           **error)
{
  g_return_val_if_fail (response != NULL, FALSE);

  if (response->status == 0)
    return TRUE;
  g_set_error (error, FS_ERROR, FS_ERROR_LOADER,
               /* TRANSLATORS: "FLASH_DATA failed: Invalid CRC in message (error 0x07)" */
               _("%s failed: %s (error 0x%02x)"),
               fs_opcode_to_string (response->opcode),
               fs_loader_error_describe (response->error),
               response->error);
  return FALSE;
}

GBytes *
fs_packet_response_new (guint8        opcode,
                        guint32       value,
                        const guint8 *data,
                        gsize         len,
                        guint8        status,
                        guint8        error,
                        FsStatusLen   status_len)
{
  GByteArray *packet;
  guint8 *status_bytes;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (status_len == FS_STATUS_LEN_STUB || status_len == FS_STATUS_LEN_ROM, NULL);
  g_return_val_if_fail (len <= G_MAXUINT16 - (gsize) status_len, NULL);

  packet = packet_new (FS_PACKET_DIRECTION_RESPONSE, opcode, len + status_len, value);
  if (len > 0)
    memcpy (packet->data + FS_PACKET_HEADER_SIZE, data, len);
  status_bytes = packet->data + FS_PACKET_HEADER_SIZE + len;
  memset (status_bytes, 0, status_len);
  status_bytes[0] = status;
  status_bytes[1] = error;
  return g_byte_array_free_to_bytes (packet);
}

const char *
fs_loader_error_describe (guint8 code)
{
  switch (code)
    {
    /* the ROM loader's */
    case 0x05:
      return _("Received message is invalid: bad parameters or length field");
    case 0x06:
      return _("Failed to act on received message");
    case 0x07:
      return _("Invalid CRC in message");
    case 0x08:
      return _("Flash write error");
    case 0x09:
      return _("Flash read error");
    case 0x0A:
      return _("Flash read length error");
    case 0x0B:
      return _("Deflate error");
    /* the stub loader's */
    case 0xC0:
      return _("The data block does not have the length it announced");
    case 0xC1:
      return _("The data block arrived damaged (its checksum is wrong)");
    case 0xC2:
      return _("The block size is not one the loader accepts");
    case 0xC3:
      return _("The loader does not know this command");
    case 0xC4:
      return _("Talking to the flash chip (SPI) failed");
    case 0xC5:
      return _("The flash chip could not be unlocked for writing");
    case 0xC6:
      return _("The loader is not in flash mode: no write was started");
    case 0xC7:
      return _("The compressed data could not be unpacked");
    case 0xC8:
      return _("Less data arrived than was announced");
    case 0xC9:
      return _("More data arrived than was announced");
    case 0xFF:
      return _("The loader does not implement this command");
    default:
      return _("Unknown error");
    }
}

const char *
fs_opcode_to_string (guint8 opcode)
{
  char unknown[8];

  switch (opcode)
    {
    case FS_OP_FLASH_BEGIN:
      return "FLASH_BEGIN";
    case FS_OP_FLASH_DATA:
      return "FLASH_DATA";
    case FS_OP_FLASH_END:
      return "FLASH_END";
    case FS_OP_MEM_BEGIN:
      return "MEM_BEGIN";
    case FS_OP_MEM_END:
      return "MEM_END";
    case FS_OP_MEM_DATA:
      return "MEM_DATA";
    case FS_OP_SYNC:
      return "SYNC";
    case FS_OP_WRITE_REG:
      return "WRITE_REG";
    case FS_OP_READ_REG:
      return "READ_REG";
    case FS_OP_SPI_SET_PARAMS:
      return "SPI_SET_PARAMS";
    case FS_OP_SPI_ATTACH:
      return "SPI_ATTACH";
    case FS_OP_READ_FLASH_SLOW:
      return "READ_FLASH_SLOW";
    case FS_OP_CHANGE_BAUDRATE:
      return "CHANGE_BAUDRATE";
    case FS_OP_FLASH_DEFL_BEGIN:
      return "FLASH_DEFL_BEGIN";
    case FS_OP_FLASH_DEFL_DATA:
      return "FLASH_DEFL_DATA";
    case FS_OP_FLASH_DEFL_END:
      return "FLASH_DEFL_END";
    case FS_OP_SPI_FLASH_MD5:
      return "SPI_FLASH_MD5";
    case FS_OP_GET_SECURITY_INFO:
      return "GET_SECURITY_INFO";
    case FS_OP_ERASE_FLASH:
      return "ERASE_FLASH";
    case FS_OP_ERASE_REGION:
      return "ERASE_REGION";
    case FS_OP_READ_FLASH:
      return "READ_FLASH";
    case FS_OP_RUN_USER_CODE:
      return "RUN_USER_CODE";
    default:
      g_snprintf (unknown, sizeof (unknown), "0x%02x", opcode);
      return g_intern_string (unknown);
    }
}
