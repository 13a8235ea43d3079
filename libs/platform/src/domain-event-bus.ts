import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DomainEvent, DomainEventOf, DomainEventType } from '#contracts';
import { filter, Subject, type Observable } from 'rxjs';

/** In-process bus between libs that must not import each other. Delivery is synchronous. */
@Injectable()
export class DomainEventBus implements OnApplicationShutdown {
  private readonly subject = new Subject<DomainEvent>();

  publish(event: DomainEvent): void {
    this.subject.next(event);
  }

  on<T extends DomainEventType>(type: T): Observable<DomainEventOf<T>> {
    return this.subject.pipe(filter((e): e is DomainEventOf<T> => e.type === type));
  }

  get all$(): Observable<DomainEvent> {
    return this.subject.asObservable();
  }

  onApplicationShutdown(): void {
    this.subject.complete();
  }
}
