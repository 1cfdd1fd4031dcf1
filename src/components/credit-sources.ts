/**
 * What the tutorial is built on, in one place: the chapters' credit line and the landing page
 * both read it. Each address was checked against a stored copy of the source (see the branch's
 * report); the post's own title is Korean, the site calls it "Docker basics with Django".
 */
export interface Source {
  title: string;
  url: string;
}

export const POST: Source & { author: string } = {
  title: 'Docker - Django, Nginx, Gunicorn 연동',
  author: 'assu',
  url: 'https://assu10.github.io/dev/2025/11/21/docker-django-nginx-gunicorn-integration/',
};

/**
 * The same author's follow-up post (2025-11-28), which covers what the post announces at its end:
 * chapters 5 to 7 of this site. Checked against a stored copy of the author's site repository.
 */
export const SEQUEL: Source = {
  title: 'Docker - Nginx, Django, PostgreSQL과 도커 컴포즈',
  url: 'https://assu10.github.io/dev/2025/11/28/docker-compose-nginx-django-postgresql-integration/',
};

export const BOOK: Source & { author: string; authorLatin: string } = {
  title: '한 권으로 배우는 도커&쿠버네티스',
  author: '장철원',
  authorLatin: 'Jang Cheol-won',
  url: 'https://www.yes24.com/product/goods/126115324',
};

export const BOOK_EXAMPLES: Source = {
  title: 'losskatsu/DockerKubernetes',
  url: 'https://github.com/losskatsu/DockerKubernetes',
};
