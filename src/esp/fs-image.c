/* fs-image.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"

#define CHECKSUM_SEED        0xEF
#define WP_PIN_DISABLED      0xEE
#define NO_MAX_REV_FULL      0xFFFF

/* Offsets in the 24-byte header (esp_image_header_t) */
#define HDR_SEGMENT_COUNT    1
#define HDR_SPI_MODE         2
#define HDR_SPI_SIZE_FREQ    3
#define HDR_ENTRY            4
#define HDR_WP_PIN           8
#define HDR_CHIP_ID          12
#define HDR_MIN_CHIP_REV     14
#define HDR_MIN_REV_FULL     15
#define HDR_MAX_REV_FULL     17
#define HDR_HASH_APPENDED    23

/* Offsets in esp_app_desc_t */
#define DESC_SECURE_VERSION  4
#define DESC_VERSION         16
#define DESC_PROJECT_NAME    48
#define DESC_TIME            80
#define DESC_DATE            96
#define DESC_IDF_VERSION     112
#define DESC_ELF_SHA256      144

struct _FsImage
{
  GObject      parent_instance;

  GPtrArray   *segments;
  guint32      entry;
  FsFlashMode  flash_mode;
  guint8       flash_size_code;
  guint8       flash_freq_code;
  guint16      chip_id;
  guint16      min_rev_full;
  guint16      max_rev_full;
  gsize        size;
  guint8       checksum_stored;
  guint8       checksum_computed;
  GBytes      *digest;
  gboolean     digest_valid;
  gboolean     has_app_desc;
  FsAppDesc    app_desc;
};

G_DEFINE_TYPE (FsImage, fs_image, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (FsImageSegment, fs_image_segment, fs_image_segment_copy, fs_image_segment_free)

FsImageSegment *
fs_image_segment_new (guint32  load_addr,
                      GBytes  *data)
{
  FsImageSegment *segment;

  g_return_val_if_fail (data != NULL, NULL);

  segment = g_new0 (FsImageSegment, 1);
  segment->load_addr = load_addr;
  segment->data = g_bytes_ref (data);
  return segment;
}

FsImageSegment *
fs_image_segment_copy (const FsImageSegment *segment)
{
  FsImageSegment *copy = fs_image_segment_new (segment->load_addr, segment->data);

  copy->file_offset = segment->file_offset;
  return copy;
}

void
fs_image_segment_free (FsImageSegment *segment)
{
  if (segment == NULL)
    return;
  g_bytes_unref (segment->data);
  g_free (segment);
}

static guint16
read_u16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
read_u32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static void
write_u16 (guint8  *p,
           guint16  value)
{
  p[0] = value & 0xFF;
  p[1] = value >> 8;
}

static void
write_u32 (guint8  *p,
           guint32  value)
{
  for (guint i = 0; i < 4; i++)
    p[i] = (value >> (8 * i)) & 0xFF;
}

static guint8
checksum_update (guint8        checksum,
                 const guint8 *data,
                 gsize         len)
{
  for (gsize i = 0; i < len; i++)
    checksum ^= data[i];
  return checksum;
}

/* The checksum byte ends a 16-byte block: zero padding goes before it. */
static gsize
checksum_offset_after (gsize end_of_segments)
{
  return end_of_segments | 0xF;
}

static GBytes *
compute_digest (const guint8 *data,
                gsize         len)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[FS_IMAGE_DIGEST_SIZE];
  gsize digest_len = sizeof (digest);

  g_checksum_update (checksum, data, len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  return g_bytes_new (digest, digest_len);
}

/* The fields are NUL-padded, but a full field has no NUL. They are meant
 * for labels, which must be UTF-8: bytes that are not become '?'. */
static void
copy_desc_string (char         *dest,
                  const guint8 *field,
                  gsize         field_size)
{
  gsize len = strnlen ((const char *) field, field_size);

  memcpy (dest, field, len);
  dest[len] = '\0';
  if (g_utf8_validate (dest, len, NULL))
    return;
  for (gsize i = 0; i < len; i++)
    if ((guint8) dest[i] >= 0x80)
      dest[i] = '?';
}

gboolean
fs_app_desc_parse (const guint8 *data,
                   gsize         len,
                   FsAppDesc    *desc)
{
  g_return_val_if_fail (desc != NULL, FALSE);

  if (data == NULL || len < FS_APP_DESC_SIZE || read_u32 (data) != FS_APP_DESC_MAGIC)
    return FALSE;
  memset (desc, 0, sizeof *desc);
  desc->secure_version = read_u32 (data + DESC_SECURE_VERSION);
  copy_desc_string (desc->version, data + DESC_VERSION, sizeof (desc->version) - 1);
  copy_desc_string (desc->project_name, data + DESC_PROJECT_NAME, sizeof (desc->project_name) - 1);
  copy_desc_string (desc->time, data + DESC_TIME, sizeof (desc->time) - 1);
  copy_desc_string (desc->date, data + DESC_DATE, sizeof (desc->date) - 1);
  copy_desc_string (desc->idf_version, data + DESC_IDF_VERSION, sizeof (desc->idf_version) - 1);
  memcpy (desc->elf_sha256, data + DESC_ELF_SHA256, sizeof (desc->elf_sha256));
  return TRUE;
}

static void
parse_app_desc (FsImage *self)
{
  FsImageSegment *first = g_ptr_array_index (self->segments, 0);
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (first->data, &len);

  self->has_app_desc = fs_app_desc_parse (p, len, &self->app_desc);
}

static gboolean
parse_header (FsImage       *self,
              const guint8  *data,
              gsize          size,
              guint         *n_segments,
              gboolean      *has_digest,
              GError       **error)
{
  if (size < FS_IMAGE_HEADER_SIZE)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the image header needs %u bytes, but the file has only %zu"),
                   (guint) FS_IMAGE_HEADER_SIZE, size);
      return FALSE;
    }
  if (data[0] != FS_IMAGE_MAGIC)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("this is not an ESP image: it starts with 0x%02x, not 0x%02x"),
                   data[0], (guint) FS_IMAGE_MAGIC);
      return FALSE;
    }
  *n_segments = data[HDR_SEGMENT_COUNT];
  if (*n_segments > FS_IMAGE_MAX_SEGMENTS)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the header claims %u segments, but an image has at most %u"),
                   *n_segments, (guint) FS_IMAGE_MAX_SEGMENTS);
      return FALSE;
    }
  /* esptool refuses other values too: the bootloader would read any
   * non-zero value as "appended", esptool as an error */
  if (data[HDR_HASH_APPENDED] > 1)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the header’s “hash appended” byte is 0x%02x, not 0 or 1"),
                   data[HDR_HASH_APPENDED]);
      return FALSE;
    }
  *has_digest = data[HDR_HASH_APPENDED] == 1;

  self->flash_mode = data[HDR_SPI_MODE];
  self->flash_freq_code = data[HDR_SPI_SIZE_FREQ] & 0x0F;
  self->flash_size_code = data[HDR_SPI_SIZE_FREQ] >> 4;
  self->entry = read_u32 (data + HDR_ENTRY);
  self->chip_id = read_u16 (data + HDR_CHIP_ID);
  self->min_rev_full = read_u16 (data + HDR_MIN_REV_FULL);
  self->max_rev_full = read_u16 (data + HDR_MAX_REV_FULL);
  return TRUE;
}

static gboolean
parse_segments (FsImage  *self,
                GBytes   *bytes,
                guint     n_segments,
                gsize    *end_of_segments,
                GError  **error)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize pos = FS_IMAGE_HEADER_SIZE;

  self->checksum_computed = CHECKSUM_SEED;
  for (guint i = 0; i < n_segments; i++)
    {
      g_autoptr(GBytes) segment_data = NULL;
      FsImageSegment *segment;
      guint32 load_addr, len;

      /* Numbered from 1, as esptool's image_info does */
      if (size - pos < FS_IMAGE_SEGMENT_HEADER)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                       _("the header of segment %u at offset 0x%zx is cut off: the file ends at 0x%zx"),
                       i + 1, pos, size);
          return FALSE;
        }
      load_addr = read_u32 (data + pos);
      len = read_u32 (data + pos + 4);
      if (len > size - pos - FS_IMAGE_SEGMENT_HEADER)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                       _("segment %u at offset 0x%zx claims 0x%x bytes, but the file ends at 0x%zx"),
                       i + 1, pos, len, size);
          return FALSE;
        }
      pos += FS_IMAGE_SEGMENT_HEADER;
      segment_data = g_bytes_new_from_bytes (bytes, pos, len);
      segment = fs_image_segment_new (load_addr, segment_data);
      segment->file_offset = pos;
      g_ptr_array_add (self->segments, segment);
      self->checksum_computed = checksum_update (self->checksum_computed, data + pos, len);
      pos += len;
    }
  *end_of_segments = pos;
  return TRUE;
}

static gboolean
parse_footer (FsImage       *self,
              GBytes        *bytes,
              gsize          end_of_segments,
              gboolean       has_digest,
              GError       **error)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize checksum_offset = checksum_offset_after (end_of_segments);
  gsize digest_offset = checksum_offset + 1;
  g_autoptr(GBytes) computed = NULL;

  if (checksum_offset >= size)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the checksum belongs at offset 0x%zx, but the file ends at 0x%zx"),
                   checksum_offset, size);
      return FALSE;
    }
  self->checksum_stored = data[checksum_offset];
  self->size = digest_offset;
  if (!has_digest)
    return TRUE;

  if (size - digest_offset < FS_IMAGE_DIGEST_SIZE)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the SHA-256 digest belongs at offset 0x%zx, but the file ends at 0x%zx"),
                   digest_offset, size);
      return FALSE;
    }
  self->digest = g_bytes_new_from_bytes (bytes, digest_offset, FS_IMAGE_DIGEST_SIZE);
  self->size = digest_offset + FS_IMAGE_DIGEST_SIZE;
  computed = compute_digest (data, digest_offset);
  self->digest_valid = g_bytes_equal (computed, self->digest);
  return TRUE;
}

FsImage *
fs_image_new_from_bytes (GBytes  *bytes,
                         GError **error)
{
  g_autoptr(FsImage) self = g_object_new (FS_TYPE_IMAGE, NULL);
  gsize size = 0;
  const guint8 *data;
  guint n_segments = 0;
  gboolean has_digest = FALSE;
  gsize end_of_segments = 0;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (!parse_header (self, data, size, &n_segments, &has_digest, error))
    return NULL;
  if (!parse_segments (self, bytes, n_segments, &end_of_segments, error))
    return NULL;
  if (!parse_footer (self, bytes, end_of_segments, has_digest, error))
    return NULL;
  if (self->segments->len > 0)
    parse_app_desc (self);
  return g_steal_pointer (&self);
}

GPtrArray *
fs_image_get_segments (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), NULL);
  return self->segments;
}

guint32
fs_image_get_entry (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), 0);
  return self->entry;
}

FsFlashMode
fs_image_get_flash_mode (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), FS_FLASH_MODE_QIO);
  return self->flash_mode;
}

guint64
fs_image_get_flash_size (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), 0);

  /* 0 = 1 MiB … 7 = 128 MiB */
  if (self->flash_size_code > 7)
    return 0;
  return (guint64) 1024 * 1024 << self->flash_size_code;
}

guint
fs_image_get_flash_freq_mhz (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), 0);

  switch (self->flash_freq_code)
    {
    case 0x0:
      return 40;
    case 0x1:
      return 26;
    case 0x2:
      return 20;
    case 0xF:
      return 80;
    default:
      return 0;
    }
}

guint16
fs_image_get_chip_id (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), FS_CHIP_UNKNOWN);
  return self->chip_id;
}

guint16
fs_image_get_min_rev_full (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), 0);
  return self->min_rev_full;
}

guint16
fs_image_get_max_rev_full (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), 0);
  return self->max_rev_full;
}

gsize
fs_image_get_size (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), 0);
  return self->size;
}

guint8
fs_image_get_checksum_stored (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), 0);
  return self->checksum_stored;
}

guint8
fs_image_get_checksum_computed (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), 0);
  return self->checksum_computed;
}

gboolean
fs_image_get_checksum_valid (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), FALSE);
  return self->checksum_stored == self->checksum_computed;
}

gboolean
fs_image_get_has_digest (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), FALSE);
  return self->digest != NULL;
}

gboolean
fs_image_get_digest_valid (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), FALSE);
  return self->digest_valid;
}

GBytes *
fs_image_get_digest (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), NULL);
  return self->digest;
}

const FsAppDesc *
fs_image_get_app_desc (FsImage *self)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), NULL);
  return self->has_app_desc ? &self->app_desc : NULL;
}

/* Old images leave the maximum at 0, newer ones at 0xFFFF when unset */
static gboolean
max_rev_is_set (guint16 max_rev_full)
{
  return max_rev_full != 0 && max_rev_full != NO_MAX_REV_FULL;
}

static gboolean
validate_chip (FsImage   *self,
               FsChipId   chip,
               guint16    chip_rev_full,
               GError   **error)
{
  if (self->chip_id != chip)
    {
      g_autofree char *built_for = fs_chip_describe (self->chip_id);
      g_autofree char *wanted = fs_chip_describe (chip);

      g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                   _("the image is built for %s, not for %s"), built_for, wanted);
      return FALSE;
    }
  if (chip_rev_full == 0)
    return TRUE;
  if (chip_rev_full < self->min_rev_full)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                   _("the image needs chip revision v%u.%u or later, but the chip is v%u.%u"),
                   self->min_rev_full / 100u, self->min_rev_full % 100u,
                   chip_rev_full / 100u, chip_rev_full % 100u);
      return FALSE;
    }
  if (max_rev_is_set (self->max_rev_full) && chip_rev_full > self->max_rev_full)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                   _("the image supports chip revisions up to v%u.%u, but the chip is v%u.%u"),
                   self->max_rev_full / 100u, self->max_rev_full % 100u,
                   chip_rev_full / 100u, chip_rev_full % 100u);
      return FALSE;
    }
  return TRUE;
}

gboolean
fs_image_validate (FsImage   *self,
                   FsChipId   chip,
                   guint16    chip_rev_full,
                   gsize      max_size,
                   GError   **error)
{
  g_return_val_if_fail (FS_IS_IMAGE (self), FALSE);

  if (!fs_image_get_checksum_valid (self))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the stored checksum is 0x%02x, but the segments’ data gives 0x%02x"),
                   self->checksum_stored, self->checksum_computed);
      return FALSE;
    }
  if (self->digest != NULL && !self->digest_valid)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                           _("the appended SHA-256 digest does not match the image’s contents"));
      return FALSE;
    }
  if (!validate_chip (self, chip, chip_rev_full, error))
    return FALSE;
  if (max_size != 0 && self->size > max_size)
    {
      g_autofree char *size = fs_format_size (self->size);
      g_autofree char *max = fs_format_size (max_size);

      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the image takes %s, but only %s are available for it"), size, max);
      return FALSE;
    }
  return TRUE;
}

static void
write_desc_string (guint8     *field,
                   const char *text,
                   gsize       field_size)
{
  memcpy (field, text, strnlen (text, field_size));
}

GBytes *
fs_app_desc_to_bytes (const FsAppDesc *desc)
{
  guint8 *buf = g_malloc0 (FS_APP_DESC_SIZE);

  g_return_val_if_fail (desc != NULL, NULL);

  write_u32 (buf, FS_APP_DESC_MAGIC);
  write_u32 (buf + DESC_SECURE_VERSION, desc->secure_version);
  write_desc_string (buf + DESC_VERSION, desc->version, sizeof (desc->version) - 1);
  write_desc_string (buf + DESC_PROJECT_NAME, desc->project_name, sizeof (desc->project_name) - 1);
  write_desc_string (buf + DESC_TIME, desc->time, sizeof (desc->time) - 1);
  write_desc_string (buf + DESC_DATE, desc->date, sizeof (desc->date) - 1);
  write_desc_string (buf + DESC_IDF_VERSION, desc->idf_version, sizeof (desc->idf_version) - 1);
  memcpy (buf + DESC_ELF_SHA256, desc->elf_sha256, sizeof (desc->elf_sha256));
  return g_bytes_new_take (buf, FS_APP_DESC_SIZE);
}

static gboolean
check_build_request (const FsImageBuildOptions  *options,
                     GPtrArray                  *segments,
                     GError                    **error)
{
  if (segments->len == 0 || segments->len > FS_IMAGE_MAX_SEGMENTS)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("an image has 1 to %u segments, not %u"),
                   (guint) FS_IMAGE_MAX_SEGMENTS, segments->len);
      return FALSE;
    }
  if (options->flash_size_code > 0xF || options->flash_freq_code > 0xF)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("the flash size code 0x%x and frequency code 0x%x must each fit in 4 bits"),
                   options->flash_size_code, options->flash_freq_code);
      return FALSE;
    }
  for (guint i = 0; i < segments->len; i++)
    {
      FsImageSegment *segment = g_ptr_array_index (segments, i);
      gsize len = g_bytes_get_size (segment->data);

      /* The bootloader copies segments in 32-bit words */
      if (len % 4 != 0)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "segment %u is %zu byte long, which is not a multiple of 4",
                                    "segment %u is %zu bytes long, which is not a multiple of 4", len),
                       i + 1, len);
          return FALSE;
        }
      if (len > G_MAXUINT32 - FS_IMAGE_HEADER_SIZE)
        {
          g_autofree char *text = fs_format_size (len);

          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       _("segment %u is %s long, more than an image can hold"), i + 1, text);
          return FALSE;
        }
    }
  return TRUE;
}

static void
append_header (GByteArray                *image,
               const FsImageBuildOptions *options,
               guint                      n_segments)
{
  guint8 header[FS_IMAGE_HEADER_SIZE] = { 0 };

  header[0] = FS_IMAGE_MAGIC;
  header[HDR_SEGMENT_COUNT] = n_segments;
  header[HDR_SPI_MODE] = options->flash_mode;
  header[HDR_SPI_SIZE_FREQ] = (options->flash_size_code << 4) | options->flash_freq_code;
  write_u32 (header + HDR_ENTRY, options->entry);
  header[HDR_WP_PIN] = WP_PIN_DISABLED;
  write_u16 (header + HDR_CHIP_ID, options->chip);
  /* Bootloaders older than the _full fields read the major revision here */
  header[HDR_MIN_CHIP_REV] = MIN (options->min_rev_full / 100, G_MAXUINT8);
  write_u16 (header + HDR_MIN_REV_FULL, options->min_rev_full);
  write_u16 (header + HDR_MAX_REV_FULL, options->max_rev_full);
  header[HDR_HASH_APPENDED] = options->append_digest ? 1 : 0;
  g_byte_array_append (image, header, sizeof (header));
}

GBytes *
fs_image_build (const FsImageBuildOptions  *options,
                GPtrArray                  *segments,
                GError                    **error)
{
  g_autoptr(GByteArray) image = g_byte_array_new ();
  static const guint8 zeros[16] = { 0 };
  guint8 checksum = CHECKSUM_SEED;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (segments != NULL, NULL);

  if (!check_build_request (options, segments, error))
    return NULL;

  append_header (image, options, segments->len);
  for (guint i = 0; i < segments->len; i++)
    {
      FsImageSegment *segment = g_ptr_array_index (segments, i);
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (segment->data, &len);
      guint8 segment_header[FS_IMAGE_SEGMENT_HEADER];

      write_u32 (segment_header, segment->load_addr);
      write_u32 (segment_header + 4, len);
      g_byte_array_append (image, segment_header, sizeof (segment_header));
      if (len > 0)
        g_byte_array_append (image, data, len);
      checksum = checksum_update (checksum, data, len);
    }

  g_byte_array_append (image, zeros, checksum_offset_after (image->len) - image->len);
  g_byte_array_append (image, &checksum, 1);

  if (options->append_digest)
    {
      g_autoptr(GBytes) digest = compute_digest (image->data, image->len);
      gsize digest_len = 0;
      const guint8 *digest_data = g_bytes_get_data (digest, &digest_len);

      g_byte_array_append (image, digest_data, digest_len);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&image));
}

gint
fs_image_flash_size_code (guint64 size)
{
  for (gint code = 0; code <= 7; code++)
    if (size == (guint64) 1024 * 1024 << code)
      return code;
  return -1;
}

GBytes *
fs_image_set_flash_size (GBytes   *bytes,
                         guint64   size,
                         GError  **error)
{
  g_autoptr(FsImage) image = NULL;
  gint code = fs_image_flash_size_code (size);
  gsize len = 0;
  guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (code < 0)
    {
      g_autofree char *text = fs_format_size (size);

      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("An image header cannot say %s of flash: it names 1 MiB, 2 MiB, 4 MiB… up to 128 MiB"),
                   text);
      return NULL;
    }
  image = fs_image_new_from_bytes (bytes, error);
  if (image == NULL)
    return NULL;
  data = g_bytes_unref_to_data (g_bytes_ref (bytes), &len);
  data[HDR_SPI_SIZE_FREQ] = (code << 4) | (data[HDR_SPI_SIZE_FREQ] & 0x0F);
  if (image->digest != NULL && image->digest_valid)
    {
      gsize digest_offset = image->size - FS_IMAGE_DIGEST_SIZE;
      g_autoptr(GBytes) digest = compute_digest (data, digest_offset);

      memcpy (data + digest_offset, g_bytes_get_data (digest, NULL), FS_IMAGE_DIGEST_SIZE);
    }
  return g_bytes_new_take (data, len);
}

static void
fs_image_finalize (GObject *object)
{
  FsImage *self = FS_IMAGE (object);

  g_ptr_array_unref (self->segments);
  g_clear_pointer (&self->digest, g_bytes_unref);

  G_OBJECT_CLASS (fs_image_parent_class)->finalize (object);
}

static void
fs_image_class_init (FsImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fs_image_finalize;
}

static void
fs_image_init (FsImage *self)
{
  self->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
}
