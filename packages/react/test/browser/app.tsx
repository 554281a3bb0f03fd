// The page the browser tests render (and the server test renders to HTML first): one slot of
// categories, its explanation, and the consent the page knows, held in React state.
import {
  type ConsentSnapshot,
  type Decider,
  type InitialDecision,
  type PageRequest,
  Slot,
  TactfulProvider,
  WhyAmISeeingThis,
} from '@tactful/react';

export const CATEGORIES = ['women', 'men', 'home', 'toys', 'sale', 'kids'];
export const CATEGORIES_DEFAULT = { kind: 'categories', order: CATEGORIES };
export const HERO_DEFAULT = { title: 'Welcome to the shop' };

/** One render of a slot, as the render function saw it. */
export interface RenderRecord {
  phase: string;
  slot: string;
  first: string;
  isDefault: boolean;
  status: string;
}

/** Every render of every slot, in order (read by the tests). */
export const renders: RenderRecord[] = [];
export const phase = { current: 'start' };

export function CategoriesApp(props: {
  decider: Decider;
  consent: ConsentSnapshot;
  request: PageRequest;
  locale: 'en' | 'vi';
  initial?: InitialDecision;
}) {
  return (
    <TactfulProvider
      decider={props.decider}
      consent={props.consent}
      request={props.request}
      {...(props.initial ? { initial: props.initial } : {})}
    >
      <Slot id="home.categories" default={CATEGORIES_DEFAULT}>
        {(content, state) => {
          renders.push({
            phase: phase.current,
            slot: 'home.categories',
            first: content.order[0] ?? '',
            isDefault: state.isDefault,
            status: state.status,
          });
          return (
            <ol>
              {content.order.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ol>
          );
        }}
      </Slot>
      <WhyAmISeeingThis slot="home.categories" locale={props.locale} />
    </TactfulProvider>
  );
}

export function HeroApp(props: {
  decider: Decider;
  consent: ConsentSnapshot;
  request: PageRequest;
  initial?: InitialDecision;
}) {
  return (
    <TactfulProvider
      decider={props.decider}
      consent={props.consent}
      request={props.request}
      {...(props.initial ? { initial: props.initial } : {})}
    >
      <Slot id="home.hero" default={HERO_DEFAULT}>
        {(hero, state) => {
          renders.push({
            phase: phase.current,
            slot: 'home.hero',
            first: hero.title,
            isDefault: state.isDefault,
            status: state.status,
          });
          return <h1>{hero.title}</h1>;
        }}
      </Slot>
      <WhyAmISeeingThis slot="home.hero" />
    </TactfulProvider>
  );
}
