import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';

/**
 * Assets whose detection settings changed (after the commit), so that the profiles the pipeline caches are
 * re-read at the device's next reading instead of at the end of their time to live.
 */
@Injectable()
export class DetectionSettingsChanges implements OnApplicationShutdown {
  private readonly subject = new Subject<string>();
  readonly assets$: Observable<string> = this.subject.asObservable();

  changed(assetId: string): void {
    this.subject.next(assetId);
  }

  onApplicationShutdown(): void {
    this.subject.complete();
  }
}
