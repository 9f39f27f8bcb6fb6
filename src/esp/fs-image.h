/* fs-image.h: ESP app and bootloader images
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fs-chip.h"

G_BEGIN_DECLS

#define FS_IMAGE_MAGIC            0xE9
#define FS_IMAGE_HEADER_SIZE      24      /* 8-byte header + 16-byte extended header */
#define FS_IMAGE_SEGMENT_HEADER   8
#define FS_IMAGE_MAX_SEGMENTS     16
#define FS_IMAGE_DIGEST_SIZE      32
#define FS_APP_DESC_MAGIC         0xABCD5432u
#define FS_APP_DESC_SIZE          256

typedef enum {
  FS_FLASH_MODE_QIO  = 0,
  FS_FLASH_MODE_QOUT = 1,
  FS_FLASH_MODE_DIO  = 2,
  FS_FLASH_MODE_DOUT = 3,
} FsFlashMode;

typedef struct {
  guint32  load_addr;
  guint32  file_offset;   /* where the segment's data starts in the image */
  GBytes  *data;
} FsImageSegment;

#define FS_TYPE_IMAGE_SEGMENT (fs_image_segment_get_type ())
GType           fs_image_segment_get_type (void) G_GNUC_CONST;
FsImageSegment *fs_image_segment_new      (guint32               load_addr,
                                           GBytes               *data);
FsImageSegment *fs_image_segment_copy     (const FsImageSegment *segment);
void            fs_image_segment_free     (FsImageSegment       *segment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsImageSegment, fs_image_segment_free)

/* ESP-IDF's esp_app_desc_t, found at the start of the first segment */
typedef struct {
  guint32 secure_version;
  char    version[33];
  char    project_name[33];
  char    time[17];
  char    date[17];
  char    idf_version[33];
  guint8  elf_sha256[32];
} FsAppDesc;

/* Where an app image's description starts: after the image header and
 * the first segment's header */
#define FS_APP_DESC_OFFSET (FS_IMAGE_HEADER_SIZE + FS_IMAGE_SEGMENT_HEADER)

/* Reads an esp_app_desc_t (FS_APP_DESC_SIZE bytes, magic first); FALSE
 * when @data is too short or has no magic */
gboolean fs_app_desc_parse (const guint8 *data,
                            gsize         len,
                            FsAppDesc    *desc);

/* The 256 bytes of an esp_app_desc_t, magic included: to build test images */
GBytes *fs_app_desc_to_bytes (const FsAppDesc *desc);

#define FS_TYPE_IMAGE (fs_image_get_type ())
G_DECLARE_FINAL_TYPE (FsImage, fs_image, FS, IMAGE, GObject)

/* Parses the image at the start of @bytes; trailing bytes (padding up to a
 * slot's size, say) are allowed. Fails with FS_ERROR_INVALID_DATA on what
 * makes the image unreadable: wrong magic, too many segments, a segment or
 * the checksum past the end. A wrong checksum or digest is not a parse
 * error: see fs_image_get_checksum_valid() and fs_image_validate(). */
FsImage         *fs_image_new_from_bytes        (GBytes      *bytes,
                                                 GError     **error);

GPtrArray       *fs_image_get_segments          (FsImage     *self);   /* of FsImageSegment */
guint32          fs_image_get_entry             (FsImage     *self);
FsFlashMode      fs_image_get_flash_mode        (FsImage     *self);
/* The header's size nibble in bytes (1 MiB … 128 MiB), 0 when unknown */
guint64          fs_image_get_flash_size        (FsImage     *self);
/* The header's frequency nibble in MHz (40, 26, 20, 80), 0 when unknown */
guint            fs_image_get_flash_freq_mhz    (FsImage     *self);
guint16          fs_image_get_chip_id           (FsImage     *self);
/* Minimum and maximum chip revision as major * 100 + minor */
guint16          fs_image_get_min_rev_full      (FsImage     *self);
guint16          fs_image_get_max_rev_full      (FsImage     *self);
/* Bytes the image occupies: header, segments, checksum, digest */
gsize            fs_image_get_size              (FsImage     *self);
guint8           fs_image_get_checksum_stored   (FsImage     *self);
guint8           fs_image_get_checksum_computed (FsImage     *self);
gboolean         fs_image_get_checksum_valid    (FsImage     *self);
gboolean         fs_image_get_has_digest        (FsImage     *self);
/* TRUE when the appended SHA-256 matches; FALSE also when there is none */
gboolean         fs_image_get_digest_valid      (FsImage     *self);
/* The stored digest (32 bytes), or NULL without one */
GBytes          *fs_image_get_digest            (FsImage     *self);
/* NULL when the first segment does not start with an app description */
const FsAppDesc *fs_image_get_app_desc          (FsImage     *self);

/* Everything a board would check before running the image, and more:
 * checksum, digest, chip id, the revision range (@chip_rev_full 0: skip),
 * fits in @max_size bytes (0: skip). The first problem found is returned
 * as FS_ERROR_INVALID_DATA, or FS_ERROR_NOT_SUPPORTED for a chip or
 * revision mismatch. */
gboolean         fs_image_validate              (FsImage     *self,
                                                 FsChipId     chip,
                                                 guint16      chip_rev_full,
                                                 gsize        max_size,
                                                 GError     **error);

/* The header's flash size nibble for @size bytes (1 MiB … 128 MiB, a
 * power of two), or -1 for a size the header cannot say */
gint             fs_image_flash_size_code       (guint64      size);

/* A copy of @bytes (an image at its start, maybe more data after it)
 * whose header says the flash is @size bytes, as esptool's --flash-size
 * writes a bootloader: the checksum covers the segments only, and an
 * appended SHA-256, which covers the header, is computed again. A
 * valid digest stays valid; a damaged one stays damaged. Fails with
 * FS_ERROR_INVALID_DATA when @bytes holds no image, and
 * FS_ERROR_INVALID_ARGUMENT for a size the header cannot say. */
GBytes          *fs_image_set_flash_size        (GBytes      *bytes,
                                                 guint64      size,
                                                 GError     **error);

typedef struct {
  FsChipId    chip;
  guint32     entry;
  FsFlashMode flash_mode;
  guint8      flash_size_code;   /* header nibble: 0 = 1 MiB, 1 = 2 MiB, 2 = 4 MiB, 3 = 8 MiB, 4 = 16 MiB */
  guint8      flash_freq_code;   /* header nibble: 0 = 40 MHz, 1 = 26, 2 = 20, 0xF = 80 */
  guint16     min_rev_full;
  guint16     max_rev_full;      /* 0xFFFF: no maximum */
  gboolean    append_digest;
} FsImageBuildOptions;

/* Builds an image from @segments (of FsImageSegment; file_offset ignored),
 * with padding, checksum and, if asked, the SHA-256 digest. */
GBytes          *fs_image_build                 (const FsImageBuildOptions *options,
                                                 GPtrArray                 *segments,
                                                 GError                   **error);

G_END_DECLS
