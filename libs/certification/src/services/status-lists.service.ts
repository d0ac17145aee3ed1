import { Injectable } from '@nestjs/common';
import { isUuid } from '@hocso/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CertificationException, CertificationExceptionCode } from '../certification.exception';
import { Bitstring, randomFreeIndex, STATUS_LIST_SIZE, signJwtCredential, statusListCredential } from '../credentials';
import { StatusListEntity } from '../entities/certificate.entity';
import { CredentialKeys } from './credential-keys.service';

/** A list is closed for new entries once this share is allocated (random picks stay cheap). */
const FILL_LIMIT = 0.5;
/** How long verifiers may cache a status list (ms); the HTTP Cache-Control says the same. */
export const STATUS_LIST_TTL_MS = 5 * 60_000;

/**
 * W3C Bitstring Status Lists for revocation. Each certificate gets a random free index (herd
 * privacy) in the open list; revoking sets its bit. Verification here reads the bit from the
 * database, so a revocation shows at once; the published list is signed on request.
 */
@Injectable()
export class StatusListsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly keys: CredentialKeys,
  ) {}

  listUrl(listId: string): string {
    return `${this.keys.publicUrl}/v1/status-lists/${listId}`;
  }

  /** A random free index in the open list (a new list when it is half full), in the caller's transaction. */
  async allocate(em: EntityManager): Promise<{ listId: string; index: number }> {
    let list = await em
      .createQueryBuilder(StatusListEntity, 'l')
      .setLock('pessimistic_write')
      .where('l.allocated * :denominator < l.size', { denominator: Math.round(1 / FILL_LIMIT) })
      .orderBy('l.created_at', 'ASC')
      .getOne();
    if (!list) {
      list = await em.save(
        em.create(StatusListEntity, {
          purpose: 'revocation',
          size: STATUS_LIST_SIZE,
          bits: Buffer.alloc(STATUS_LIST_SIZE / 8),
          allocated: 0,
        }),
      );
    }
    const taken = new Set<number>(
      (
        (await em.query(`SELECT status_index FROM certificate WHERE status_list_id = $1`, [list.id])) as Array<{
          status_index: number;
        }>
      ).map((r) => r.status_index),
    );
    const index = randomFreeIndex((i) => taken.has(i), list.size);
    await em.query(`UPDATE status_list SET allocated = allocated + 1, updated_at = now() WHERE id = $1`, [list.id]);
    return { listId: list.id, index };
  }

  async setRevoked(em: EntityManager, listId: string, index: number): Promise<void> {
    // set_bit counts bits from the least significant of each byte; the W3C list from the most.
    const bit = Math.floor(index / 8) * 8 + (7 - (index % 8));
    await em.query(`UPDATE status_list SET bits = set_bit(bits, $2, 1), updated_at = now() WHERE id = $1`, [
      listId,
      bit,
    ]);
  }

  /** The bit of a list published at `listUrl` (null: not one of ours). */
  async bit(listUrl: string, index: number): Promise<boolean | null> {
    const prefix = `${this.keys.publicUrl}/v1/status-lists/`;
    if (!listUrl.startsWith(prefix)) return null;
    const id = listUrl.slice(prefix.length);
    if (!isUuid(id)) return null;
    const list = await this.ds.getRepository(StatusListEntity).findOneBy({ id });
    if (!list || index < 0 || index >= list.size) return null;
    return new Bitstring(list.size, list.bits).get(index);
  }

  /** The signed BitstringStatusListCredential (VC-JWT). */
  async publish(listId: string): Promise<{ jwt: string; updatedAt: Date }> {
    const list = await this.ds.getRepository(StatusListEntity).findOneBy({ id: listId });
    if (!list) throw new CertificationException(CertificationExceptionCode.STATUS_LIST_NOT_FOUND);
    const signer = await this.keys.signer();
    const id = this.listUrl(list.id);
    const validFrom = new Date(list.updatedAt).toISOString();
    const vc = statusListCredential({
      id,
      issuer: this.keys.issuer,
      validFrom,
      encodedList: await new Bitstring(list.size, list.bits).encode(),
      ttlMs: STATUS_LIST_TTL_MS,
    });
    const jwt = await signJwtCredential(
      vc,
      signer.key,
      {
        iss: this.keys.issuer.id,
        jti: id,
        sub: `${id}#list`,
        nbf: Math.floor(new Date(list.updatedAt).getTime() / 1000),
      },
      signer.options,
    );
    return { jwt, updatedAt: list.updatedAt };
  }
}
