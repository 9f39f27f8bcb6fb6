/* fs-device-record.h: what Flash Studio remembers of one board it has met
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How many uploads a record keeps: older ones are dropped */
#define FS_DEVICE_RECORD_MAX_UPLOADS 20

/* What the ROM loader told about the chip, as plain values (so that the
 * record does not depend on the loader) */
typedef struct {
  char     *name;              /* "ESP32" */
  char     *description;       /* "ESP32-D0WD-V3", or NULL */
  guint     revision;          /* major × 100 + minor, as ESP-IDF counts: v3.1 is 301 */
  guint     crystal_mhz;
  guint64   flash_size;        /* bytes; 0 when not known */
  guint32   flash_id;          /* JEDEC: manufacturer, type, capacity */
  gboolean  flash_encryption;
  gboolean  secure_boot;
} FsDeviceChip;

/* A copy of the board's flash, kept in the device's backup folder */
typedef struct {
  char      *path;
  char      *md5;              /* 32 lowercase hex digits */
  GDateTime *date;
  guint64    size;
} FsDeviceBackup;

/* One region of the virtual machine set written to the board */
typedef struct {
  char      *name;
  guint32    address;
  char      *path;
  char      *md5;
} FsDeviceVmRegion;

/* What the board printed after a job reset it into its firmware */
typedef struct {
  char      *state;            /* "runs", "does-not-boot" or "unknown"; NULL: not checked */
  char      *text;             /* for people: "Running blink 1.2.3 from ota_0 (0x010000)", or why not */
} FsDeviceBoot;

typedef struct {
  GDateTime    *date;
  char         *what;          /* for people: "MicroPython 1.22 (esp32-8mb)" */
  char         *result;        /* for people: "verified", "failed: …" */
  FsDeviceBoot  boot;
} FsDeviceUpload;

/* What the board holds, as Flash Studio last left it */
typedef enum {
  FS_DEVICE_FIRMWARE_UNKNOWN,  /* nothing written by Flash Studio yet */
  FS_DEVICE_FIRMWARE_VM,       /* the VM set, by Virtualize */
  FS_DEVICE_FIRMWARE_ERASED,
  FS_DEVICE_FIRMWARE_BACKUP,   /* a backup restored: the original firmware, for the first one */
} FsDeviceFirmwareKind;

typedef struct {
  FsDeviceFirmwareKind  kind;
  char                 *title; /* the VM's layout, the backup's file name, or NULL */
  char                 *vm_id; /* FS_DEVICE_FIRMWARE_VM: fs_device_record_dup_vm_id() of the set written */
  GDateTime            *date;  /* NULL for FS_DEVICE_FIRMWARE_UNKNOWN */
  FsDeviceBoot          boot;  /* what it did after the last job that reset the board */
} FsDeviceFirmware;

void fs_device_chip_clear       (FsDeviceChip     *chip);
void fs_device_backup_free      (FsDeviceBackup   *backup);
void fs_device_vm_region_free   (FsDeviceVmRegion *region);
void fs_device_upload_free      (FsDeviceUpload   *upload);
void fs_device_boot_clear       (FsDeviceBoot     *boot);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsDeviceChip, fs_device_chip_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsDeviceBoot, fs_device_boot_clear)

/* A MAC as records write it: six lowercase hex pairs joined by ':' */
gboolean  fs_device_mac_is_valid   (const char   *mac);
char     *fs_device_mac_from_bytes (const guint8  mac[6]);
/* A record's date as people read it, in local time: "3 December 2026, 19:40" */
char     *fs_device_format_date    (GDateTime     *date);

#define FS_TYPE_DEVICE_RECORD (fs_device_record_get_type ())
G_DECLARE_FINAL_TYPE (FsDeviceRecord, fs_device_record, FS, DEVICE_RECORD, GObject)

/* An empty record; @mac must pass fs_device_mac_is_valid() */
FsDeviceRecord *fs_device_record_new            (const char      *mac);
/* Reads a record written by fs_device_record_to_data(). Errors start with
 * "@origin: ", then the JSON path of what is wrong ("backups[1].md5: …")
 * when it is about one member: FS_ERROR_INVALID_DATA, or
 * FS_ERROR_NOT_SUPPORTED for a record a newer Flash Studio wrote. */
FsDeviceRecord *fs_device_record_new_from_data  (const char      *data,
                                                 gsize            len,
                                                 const char      *origin,
                                                 GError         **error);
/* The record as JSON text, which fs_device_record_new_from_data() reads back */
char           *fs_device_record_to_data        (FsDeviceRecord  *self);

const char     *fs_device_record_get_mac        (FsDeviceRecord  *self);
/* The name the user gave the board, or NULL */
const char     *fs_device_record_get_nickname   (FsDeviceRecord  *self);
void            fs_device_record_set_nickname   (FsDeviceRecord  *self,
                                                 const char      *nickname);
/* The id of its board profile, or NULL when not chosen */
const char     *fs_device_record_get_board_id   (FsDeviceRecord  *self);
void            fs_device_record_set_board_id   (FsDeviceRecord  *self,
                                                 const char      *board_id);
/* The USB serial number of the port it was last seen on, or NULL */
/* The flash layout of the board's VM set, or NULL before Create VM */
const char     *fs_device_record_get_layout     (FsDeviceRecord  *self);
void            fs_device_record_set_layout     (FsDeviceRecord  *self,
                                                 const char      *layout);
const char     *fs_device_record_get_last_serial (FsDeviceRecord *self);
void            fs_device_record_set_last_serial (FsDeviceRecord *self,
                                                  const char     *serial);
/* NULL until set; set copies @chip (whose name must not be NULL) */
const FsDeviceChip *fs_device_record_get_chip   (FsDeviceRecord  *self);
void            fs_device_record_set_chip       (FsDeviceRecord  *self,
                                                 const FsDeviceChip *chip);

/* Of FsDeviceBackup, oldest first */
GPtrArray      *fs_device_record_get_backups    (FsDeviceRecord  *self);
void            fs_device_record_add_backup     (FsDeviceRecord  *self,
                                                 const char      *path,
                                                 const char      *md5,
                                                 GDateTime       *date,
                                                 guint64          size);
/* FALSE when no backup has @path */
gboolean        fs_device_record_remove_backup  (FsDeviceRecord  *self,
                                                 const char      *path);

/* Of FsDeviceVmRegion, in the order added */
GPtrArray      *fs_device_record_get_vm_regions (FsDeviceRecord  *self);
void            fs_device_record_add_vm_region  (FsDeviceRecord  *self,
                                                 const char      *name,
                                                 guint32          address,
                                                 const char      *path,
                                                 const char      *md5);
void            fs_device_record_clear_vm_regions (FsDeviceRecord *self);
/* Says which VM set the record holds (from its regions' addresses and
 * MD5s), to tell whether the board holds the same; NULL without one */
char           *fs_device_record_dup_vm_id      (FsDeviceRecord  *self);

/* Of FsDeviceUpload, oldest first; at most FS_DEVICE_RECORD_MAX_UPLOADS */
GPtrArray      *fs_device_record_get_uploads    (FsDeviceRecord  *self);
void            fs_device_record_add_upload     (FsDeviceRecord  *self,
                                                 GDateTime       *date,
                                                 const char      *what,
                                                 const char      *result);
/* What the board did after the newest upload (copied) */
void            fs_device_record_set_upload_boot (FsDeviceRecord *self,
                                                  const FsDeviceBoot *boot);

/* Never NULL */
const FsDeviceFirmware *fs_device_record_get_firmware (FsDeviceRecord *self);
/* The board now holds @kind (@title may be NULL), since @date; its boot
 * is not known yet. For FS_DEVICE_FIRMWARE_VM, the record's VM set. */
void            fs_device_record_set_firmware   (FsDeviceRecord  *self,
                                                 FsDeviceFirmwareKind kind,
                                                 const char      *title,
                                                 GDateTime       *date);
/* What the firmware did after the last job that reset the board (copied) */
void            fs_device_record_set_firmware_boot (FsDeviceRecord *self,
                                                    const FsDeviceBoot *boot);
/* "vm", "erased", "backup", "unknown": the names in the file */
const char     *fs_device_firmware_kind_to_string (FsDeviceFirmwareKind kind);
gboolean        fs_device_firmware_kind_from_string (const char    *text,
                                                     FsDeviceFirmwareKind *kind);

G_END_DECLS
